#include "migtest/cli.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/reference.hpp"
#include "migtest/error.hpp"
#include "migtest/runner.hpp"
#include "migtest/url.hpp"
#include "migtest/version.hpp"
#include "testdb/reaper.hpp"

namespace migtest::cli {

History Context::history() const {
  Config c = config();
  if (c.migrations.empty() && (!registry || registry->empty())) {
    throw usage_error(
        "no migrations configured: pass --migrations DIR or set migrations in migtest.toml");
  }
  History h = registry && !registry->empty() ? load_history(c.migrations, registry)
                                             : load_history(c.migrations);
  for (const auto& w : h.warnings()) std::cerr << style("warning: ", kYellow) << redact(w) << "\n";
  return h;
}

namespace {
// Every command's connection: a PostgreSQL server at hand is also where dead migtest
// processes' leftovers are dropped (not the user's database: other ones on its server).
std::unique_ptr<Connection> open(const std::string& url, const ConnectOptions& options) {
  if (url.empty()) {
    throw usage_error(
        "no database configured: pass --url URL, set DATABASE_URL, or set url in migtest.toml");
  }
  auto conn = migtest::connect(url, options);
  detail::reap_server_once(*conn);
  return conn;
}
}  // namespace

std::unique_ptr<Connection> Context::connect() const {
  return open(config().url, ConnectOptions());
}

bool Context::database_missing() const {
  Config c = config();
  if (c.url.empty()) return false;
  return parse_url(c.url).names_missing_file();
}

std::unique_ptr<Connection> open_to_read(const std::string& url) {
  ConnectOptions o;
  o.create = false;
  o.read_only = true;
  return open(url, o);
}

std::unique_ptr<Connection> Context::connect_to_read() const {
  if (database_missing()) return nullptr;
  return open_to_read(config().url);
}

Dialect dialect_of_url(const std::string& url) {
  return url.empty() ? Dialect::sqlite : parse_url(url).dialect;
}

std::optional<Dialect> exact_dialect(std::string_view word) {
  for (Dialect d : {Dialect::sqlite, Dialect::postgresql}) {
    if (to_string(d) == word) return d;
  }
  return std::nullopt;
}

void add_format_option(CLI::App* cmd, std::string& format) {
  format = "text";
  cmd->add_option("--format", format, "output format (json: docs/reference/json.md)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
}

std::string style(const std::string& text, const char* ansi) {
  static const bool color = ::isatty(2) && std::getenv("NO_COLOR") == nullptr;
  return color ? fmt::format("\033[{}m{}\033[0m", ansi, text) : text;
}

namespace {
int run(int argc, char** argv, const Registry& registry, const Metadata* models) {
  // What killed migtest processes left in the temporary directories goes first (cheap: two
  // directory scans). MIGTEST_REAP=0 turns it off.
  detail::reap_default_directories_once();
  CLI::App app{"migtest: migrations as a revision graph, verified on SQLite and PostgreSQL"};
  app.set_version_flag("--version", "migtest " + std::string(version()));
  app.require_subcommand(1);
  Context ctx;
  ctx.registry = &registry;
  ctx.models = models;
  app.add_option_function<std::string>(
      "--url", [&](const std::string& v) { ctx.overrides.url = v; },
      "database URL (overrides DATABASE_URL and migtest.toml)");
  app.add_option_function<std::string>(
      "--migrations", [&](const std::string& v) { ctx.overrides.migrations = v; },
      "directory of revision files");
  app.add_option_function<std::string>(
      "-c,--config", [&](const std::string& v) { ctx.overrides.config_file = v; },
      "configuration file (default: ./migtest.toml)");
  app.add_flag("-v,--verbose", ctx.verbose, "print each statement and more detail");
  app.fallthrough();

  add_scaffold_commands(app, ctx);
  add_migrate_commands(app, ctx);
  add_integrity_commands(app, ctx);
  add_history_commands(app, ctx);
  add_verify_command(app, ctx);
  add_lint_command(app, ctx);
  add_schema_commands(app, ctx);
  add_cache_commands(app, ctx);
  add_graph_command(app, ctx);
  add_reference_commands(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // A mistyped command: name it and the nearest one, rather than CLI11's "A subcommand is
    // required" or "arguments were not expected".
    if (e.get_exit_code() != 0) {
      std::string unknown = unknown_command_message(app, "migtest");
      if (!unknown.empty()) {
        std::cerr << style("error: ", kRed) << redact(unknown) << "\n";
        return 2;
      }
    }
    // CLI11 quotes arguments back (an unexpected one may be a URL): redact what it prints.
    std::ostringstream out, err;
    int rc = app.exit(e, out, err);
    std::cout << redact(out.str());
    std::cerr << redact(err.str());
    return rc == 0 ? 0 : 2;
  } catch (const integrity_error& e) {
    std::cerr << style("error: ", kRed) << redact(e.what()) << "\n";
    return 1;
  } catch (const migration_error& e) {
    std::cerr << style("error: ", kRed) << redact(e.what()) << "\n";
    return 1;
  } catch (const database_error& e) {
    std::cerr << style("error: ", kRed) << redact(e.what()) << "\n";
    return 1;
  } catch (const error& e) {
    std::cerr << style("error: ", kRed) << redact(e.what()) << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << style("error: ", kRed) << redact(e.what()) << "\n";
    return 2;
  }
  return ctx.exit_code;
}

}  // namespace

int main(int argc, char** argv, const Registry& registry) {
  return run(argc, argv, registry, nullptr);
}
int main(int argc, char** argv, const Registry& registry, const Metadata& models) {
  return run(argc, argv, registry, &models);
}
int main(int argc, char** argv) { return run(argc, argv, default_registry(), nullptr); }

}  // namespace migtest::cli
