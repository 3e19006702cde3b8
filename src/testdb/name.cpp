#include "testdb/name.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <regex>

#include "migtest/error.hpp"

namespace migtest::detail {

namespace {
// "tpl" and "kept" (complete templates, kept databases) are deliberately not tags.
constexpr const char* kTag = "([0-9a-f]{8}|verify|check|autogen)";
}  // namespace

const std::string& check_tag(const std::string& tag) {
  static const std::regex re(fmt::format("^{}$", kTag));
  if (!std::regex_match(tag, re)) {
    throw config_error(fmt::format(
        "temporary database tag '{}' is not 8 lower-case hex digits (nor verify, check, autogen)",
        tag));
  }
  return tag;
}

TemporaryName TemporaryName::make(const std::string& tag) {
  Owner self = Owner::self();
  std::string stem =
      fmt::format("migtest_{}_{}_{}_{}", check_tag(tag), self.host(), self.pid(), random_hex8());
  return TemporaryName(std::move(stem), "", tag, std::move(self));
}

std::optional<TemporaryName> TemporaryName::parse(std::string_view name) {
  static const std::regex re(
      fmt::format("^(migtest_{}_([0-9a-f]{{8}})_([0-9]{{1,10}})_[0-9a-f]{{8}})"
                  "((\\.db|\\.tmp)(-wal|-shm|-journal)?)?$",
                  kTag));
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_match(name.begin(), name.end(), m, re)) return std::nullopt;
  const long pid = std::strtol(m[4].str().c_str(), nullptr, 10);
  return TemporaryName(m[1].str(), m[5].str(), m[2].str(), Owner(m[3].str(), pid));
}

}  // namespace migtest::detail
