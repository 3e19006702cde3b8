// The CLI's configuration: migtest.toml, then DATABASE_URL, then --url. Internal.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "migtest/error.hpp"
#include "migtest/lint.hpp"

namespace migtest::cli {

/// Bad command-line use: a missing option, a file the command cannot read or write. Only the
/// command throws it (the library reports its own conditions with migtest's error classes);
/// the command exits with code 2.
class usage_error : public error {
 public:
  using error::error;
};

struct Config {
  std::string migrations;  // directory of revision files ("" = none)
  std::string url;         // database URL ("" = none)
  std::string url_origin;  // where url came from: "--url", "DATABASE_URL" or "FILE:LINE"
  std::string version_table = "migtest_version";  // "schema.table" in another schema
  std::vector<std::string> schemas;  // PostgreSQL schemas to read; empty: the default one
  std::string file;                  // the config file read, "" if none
  LintOptions lint;                  // [lint]: disable = [codes], severity = { code = "warning" }
};

struct Overrides {
  std::optional<std::string> config_file;  // --config
  std::optional<std::string> url;          // --url
  std::optional<std::string> migrations;   // --migrations
};

/// Reads --config FILE, else ./migtest.toml, else ./migrations/migtest.toml (when present);
/// relative migration paths are relative to the config file. DATABASE_URL overrides the
/// file's url; --url and --migrations override both. Throws usage_error or parse_error (naming
/// the file and line) on a bad file, and connection_error (naming where the URL came from) when
/// the URL in effect is malformed.
Config load_config(const Overrides& overrides);

}  // namespace migtest::cli
