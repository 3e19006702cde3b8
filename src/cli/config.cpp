#include "cli/config.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <cctype>
#include <cstdlib>

#include "migtest/error.hpp"
#include "migtest/url.hpp"

namespace migtest::cli {

namespace fs = boost::filesystem;

namespace {

// A config file must be a regular file: toml++ handed a directory or a FIFO fails obscurely or
// blocks.
void check_regular(const std::string& file) {
  boost::system::error_code ec;
  const fs::file_status status = fs::status(file, ec);
  if (status.type() == fs::file_not_found) {
    throw usage_error(fmt::format("config file '{}' does not exist", file));
  }
  if (status.type() == fs::directory_file) {
    throw usage_error(
        fmt::format("config file '{}' is a directory (expected a TOML file such as "
                    "'{}/migtest.toml')",
                    file, file));
  }
  if (status.type() != fs::regular_file) {
    throw usage_error(fmt::format("config file '{}' is not a regular file", file));
  }
}

// The file to read: --config, else ./migtest.toml, else ./migrations/migtest.toml ("" if none).
std::string config_file(const Overrides& overrides) {
  if (overrides.config_file) return *overrides.config_file;
  for (const char* candidate : {"migtest.toml", "migrations/migtest.toml"}) {
    boost::system::error_code ec;
    if (fs::exists(candidate, ec)) return candidate;
  }
  return "";
}

int line_of(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

// A name of a table or schema on SQLite and PostgreSQL alike: 1 to 63 bytes (PostgreSQL cuts
// longer names), ASCII letters, digits and '_', not starting with a digit.
bool plain_name(const std::string& name) {
  return !name.empty() && name.size() <= 63 && !std::isdigit(static_cast<unsigned char>(name[0])) &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
         });
}

// version_table is such a name, or schema.name (a table in another schema).
void check_version_table(const std::string& file, const toml::node& node, const std::string& name) {
  const auto fail = [&](const std::string& why) { throw parse_error(file, line_of(node), why); };
  if (name.empty()) fail("version_table is empty");
  const auto dot = name.find('.');
  const bool ok = dot == std::string::npos
                      ? plain_name(name)
                      : plain_name(name.substr(0, dot)) && plain_name(name.substr(dot + 1));
  if (!ok) {
    std::string shown;
    for (unsigned char c : name) {
      shown += c < 0x20 || c >= 0x7f ? fmt::format("\\x{:02x}", c) : std::string(1, char(c));
    }
    fail(
        fmt::format("version_table '{}' must be 1 to 63 ASCII letters, digits or '_', not "
                    "starting with a digit (or schema.table, each part so)",
                    shown));
  }
}

// A code or name of [lint], as the rules it selects; parse_error naming the key's line.
std::vector<const LintRule*> lint_rules_named(const std::string& file, const toml::node& node,
                                              const std::string& name, const char* where) {
  auto rules = select_lint_rules(name);
  if (rules.empty()) {
    throw parse_error(file, line_of(node),
                      fmt::format("unknown lint rule '{}' in {} (docs/reference/lint.md lists "
                                  "the codes)",
                                  name, where));
  }
  return rules;
}

// [lint] disable = ["MT105", "rename_column"]  severity = { MT101 = "warning" }
void read_lint(const std::string& file, const toml::node& node, LintOptions& lint) {
  const toml::table* t = node.as_table();
  if (!t) throw parse_error(file, line_of(node), "[lint] must be a table");
  for (auto&& [key, value] : *t) {
    if (key == "disable" && value.is_array()) {
      for (auto&& code : *value.as_array()) {
        auto name = code.value<std::string>();
        if (!name)
          throw parse_error(file, line_of(code), "lint.disable holds rule codes (strings)");
        for (const LintRule* r : lint_rules_named(file, code, *name, "lint.disable")) {
          lint.disabled.insert(r->code);
        }
      }
    } else if (key == "severity" && value.is_table()) {
      for (auto&& [code, level] : *value.as_table()) {
        auto name = level.value<std::string>();
        Severity s{};
        try {
          s = parse_severity(name.value_or(""));
        } catch (const config_error& e) {
          throw parse_error(file, line_of(level),
                            fmt::format("lint.severity.{}: {}", code.str(), e.what()));
        }
        for (const LintRule* r :
             lint_rules_named(file, level, std::string(code.str()), "lint.severity")) {
          lint.severity[r->code] = s;
        }
      }
    } else {
      throw parse_error(file, line_of(value),
                        fmt::format("unknown [lint] setting '{}' (expected disable = [codes], "
                                    "severity = {{ code = \"error|warning|notice\" }})",
                                    key.str()));
    }
  }
}

// schemas = ["public", "audit"]: the PostgreSQL schemas check, diff, schema and verify read.
void read_schemas(const std::string& file, const toml::node& node, Config& config) {
  const auto* list = node.as_array();
  if (!list || list->empty())
    throw parse_error(file, line_of(node), "setting 'schemas' must be a list of schema names");
  for (const auto& item : *list) {
    const auto name = item.value<std::string>();
    if (!name || name->empty())
      throw parse_error(file, line_of(item), "setting 'schemas': each item must be a schema name");
    config.schemas.push_back(*name);
  }
}

void read_file(const std::string& file, Config& config) {
  check_regular(file);
  config.file = file;
  toml::table t;
  try {
    t = toml::parse_file(file);
  } catch (const toml::parse_error& e) {
    throw parse_error(file, static_cast<int>(e.source().begin.line), std::string(e.description()));
  }
  for (auto&& [key, value] : t) {
    if (key == "lint") {
      read_lint(file, value, config.lint);
      continue;
    }
    if (key != "migrations" && key != "url" && key != "version_table" && key != "schemas") {
      throw parse_error(file, line_of(value),
                        fmt::format("unknown setting '{}' (expected migrations, url, "
                                    "version_table, schemas, [lint])",
                                    key.str()));
    }
    if (key == "schemas") {
      read_schemas(file, value, config);
    } else if (!value.is_string()) {
      throw parse_error(file, line_of(value),
                        fmt::format("setting '{}' must be a string", key.str()));
    }
  }
  fs::path base = fs::path(file).parent_path();
  if (auto m = t["migrations"].value<std::string>()) {
    fs::path p(*m);
    config.migrations =
        (p.is_absolute() || base.empty() ? p : base / p).lexically_normal().string();
  }
  if (auto u = t["url"].value<std::string>()) {
    config.url = *u;
    config.url_origin = fmt::format("{}:{}", file, line_of(*t.get("url")));
  }
  if (auto v = t["version_table"].value<std::string>()) {
    check_version_table(file, *t.get("version_table"), *v);
    config.version_table = *v;
  }
}

}  // namespace

Config load_config(const Overrides& overrides) {
  Config config;
  if (std::string file = config_file(overrides); !file.empty()) read_file(file, config);
  if (const char* env = std::getenv("DATABASE_URL"); env && *env) {
    config.url = env;
    config.url_origin = "DATABASE_URL";
  }
  if (overrides.url) {
    config.url = *overrides.url;
    config.url_origin = "--url";
  }
  if (overrides.migrations) config.migrations = *overrides.migrations;
  // The URL in effect is checked before any command runs, and its error names where it came from.
  if (!config.url.empty()) {
    try {
      parse_url(config.url);
    } catch (const connection_error& e) {
      throw connection_error(fmt::format("{}: {}", config.url_origin, e.what()));
    }
  }
  return config;
}

}  // namespace migtest::cli
