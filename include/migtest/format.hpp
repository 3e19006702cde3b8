// migtest/format.hpp: fmt formatters for the schema types, metadata types, Differences and
// Dialect.
//   fmt::print("{}\n", schema);            // the same text as migtest::to_string(schema)
//   fmt::print("{}\n", diffs.front());     // "column user.karma: database ..., model ..."
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

#include "migtest/diff.hpp"
#include "migtest/metadata.hpp"
#include "migtest/schema.hpp"
#include "migtest/url.hpp"

// Each formats as migtest::to_string(value), honouring width and alignment ("{:>40}") like a
// string would.
#define MIGTEST_TO_STRING_FORMATTER(T)                                 \
  template <>                                                          \
  struct fmt::formatter<T> : fmt::formatter<std::string_view> {        \
    template <class FormatContext>                                     \
    auto format(const T& value, FormatContext& ctx) const {            \
      const std::string text = std::string(migtest::to_string(value)); \
      return fmt::formatter<std::string_view>::format(text, ctx);      \
    }                                                                  \
  }

MIGTEST_TO_STRING_FORMATTER(migtest::Column);
MIGTEST_TO_STRING_FORMATTER(migtest::PrimaryKey);
MIGTEST_TO_STRING_FORMATTER(migtest::UniqueConstraint);
MIGTEST_TO_STRING_FORMATTER(migtest::ForeignKey);
MIGTEST_TO_STRING_FORMATTER(migtest::CheckConstraint);
MIGTEST_TO_STRING_FORMATTER(migtest::ExclusionConstraint);
MIGTEST_TO_STRING_FORMATTER(migtest::Index);
MIGTEST_TO_STRING_FORMATTER(migtest::Trigger);
MIGTEST_TO_STRING_FORMATTER(migtest::Table);
MIGTEST_TO_STRING_FORMATTER(migtest::View);
MIGTEST_TO_STRING_FORMATTER(migtest::Sequence);
MIGTEST_TO_STRING_FORMATTER(migtest::Enum);
MIGTEST_TO_STRING_FORMATTER(migtest::Function);
MIGTEST_TO_STRING_FORMATTER(migtest::Schema);
MIGTEST_TO_STRING_FORMATTER(migtest::Type);
MIGTEST_TO_STRING_FORMATTER(migtest::ReferentialAction);
MIGTEST_TO_STRING_FORMATTER(migtest::Difference::Kind);
MIGTEST_TO_STRING_FORMATTER(migtest::Dialect);

#undef MIGTEST_TO_STRING_FORMATTER

/// A Difference formats as Difference::describe() with the default labels.
template <>
struct fmt::formatter<migtest::Difference> : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(const migtest::Difference& d, FormatContext& ctx) const {
    const std::string text = d.describe();
    return fmt::formatter<std::string_view>::format(text, ctx);
  }
};
