#include "cli/config.hpp"

#include <fmt/format.h>

#include <boost/filesystem.hpp>
#include <cstdlib>
#include <toml++/toml.h>

#include "migtest/error.hpp"

namespace migtest::cli {

namespace fs = boost::filesystem;

Config load_config(const Overrides& overrides) {
  Config config;
  std::string file;
  if (overrides.config_file) {
    file = *overrides.config_file;
    if (!fs::exists(file)) throw usage_error(fmt::format("config file '{}' does not exist", file));
  } else if (fs::exists("migtest.toml")) {
    file = "migtest.toml";
  } else if (fs::exists("migrations/migtest.toml")) {
    file = "migrations/migtest.toml";
  }
  if (!file.empty()) {
    config.file = file;
    toml::table t;
    try {
      t = toml::parse_file(file);
    } catch (const toml::parse_error& e) {
      throw parse_error(file, static_cast<int>(e.source().begin.line), std::string(e.description()));
    }
    for (auto&& [key, value] : t) {
      if (key != "migrations" && key != "url" && key != "version_table") {
        throw parse_error(file, static_cast<int>(value.source().begin.line),
                          fmt::format("unknown setting '{}' (expected migrations, url, version_table)",
                                      key.str()));
      }
      if (!value.is_string()) {
        throw parse_error(file, static_cast<int>(value.source().begin.line),
                          fmt::format("setting '{}' must be a string", key.str()));
      }
    }
    fs::path base = fs::path(file).parent_path();
    if (auto m = t["migrations"].value<std::string>()) {
      fs::path p(*m);
      config.migrations = (p.is_absolute() || base.empty() ? p : base / p).lexically_normal().string();
    }
    if (auto u = t["url"].value<std::string>()) config.url = *u;
    if (auto v = t["version_table"].value<std::string>()) config.version_table = *v;
  }
  if (const char* env = std::getenv("DATABASE_URL"); env && *env) config.url = env;
  if (overrides.url) config.url = *overrides.url;
  if (overrides.migrations) config.migrations = *overrides.migrations;
  return config;
}

}  // namespace migtest::cli
