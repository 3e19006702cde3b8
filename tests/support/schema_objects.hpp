// Schema objects written out briefly, for tests that build schemas by hand.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "migtest/schema.hpp"

namespace migtest::test {

inline Column col(std::string name, std::string type, bool nullable,
                  std::optional<std::string> default_value = std::nullopt) {
  Column c;
  c.name = std::move(name);
  c.type = std::move(type);
  c.nullable = nullable;
  c.default_value = std::move(default_value);
  return c;
}

}  // namespace migtest::test
