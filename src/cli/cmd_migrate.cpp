// upgrade, downgrade, stamp, current: the commands that touch the database.
#include <fmt/format.h>
#include <unistd.h>

#include <iostream>

#include "cli/commands.hpp"
#include "migtest/runner.hpp"
#include "migtest/url.hpp"

namespace migtest::cli {

namespace {

RunOptions run_options(const Context& ctx, const Config& c) {
  RunOptions o;
  o.version_table = c.version_table;
  o.log_statements = ctx.verbose;
  o.log = [](const RunEvent& e) {
    switch (e.kind) {
      case RunEvent::Kind::revision_started:
        // A progress prefix on long runs; one line per revision either way.
        if (e.total >= 10) std::cerr << fmt::format("[{}/{}] ", e.index, e.total);
        std::cerr << e.message << "\n";
        break;
      case RunEvent::Kind::statement:
        std::cerr << "  " << e.message << "\n";
        break;
      case RunEvent::Kind::notice:
        std::cerr << e.message << "\n";
        break;
      case RunEvent::Kind::revision_finished:
        break;
    }
  };
  return o;
}

void print_ids(const std::vector<std::string>& ids) {
  for (const auto& id : ids) std::cout << id << "\n";
}

// --sql: where the database stands, read without changing anything (no version table is
// created); "FROM:TO" names the start instead, as Alembic's offline mode does.
std::vector<std::string> offline_start(const Config& c, std::string& target) {
  auto colon = target.find(':');
  if (colon != std::string::npos) {
    std::string from = target.substr(0, colon);
    target = target.substr(colon + 1);
    if (from.empty() || from == "base") return {};
    return {from};
  }
  if (c.url.empty()) {
    throw usage_error("no database configured: pass --url URL (its dialect is the SQL's), or FROM:TO as the target");
  }
  std::vector<std::string> heads;
  try {
    ConnectOptions o;
    o.create = false;
    o.read_only = true;
    auto conn = migtest::connect(c.url, o);
    for (const auto& row : conn->query(fmt::format("SELECT version_num FROM \"{}\" ORDER BY version_num",
                                                   c.version_table))
                               .rows)
      heads.push_back(row[0].as_text());
  } catch (const connection_error&) {
    if (parse_url(c.url).dialect != "sqlite") throw;  // a SQLite file not there yet is at base
  } catch (const database_error&) {
    // No version table: at base.
  }
  return heads;
}

void print_offline(const Context& ctx, const Config& c, std::string target, Direction direction) {
  History h = ctx.history();
  std::vector<std::string> current = offline_start(c, target);
  std::string dialect = c.url.empty() ? "sqlite" : parse_url(c.url).dialect;
  OfflineOptions o;
  o.version_table = c.version_table;
  o.direction = direction;
  for (const auto& line : offline_sql(h, dialect, current, target, o)) {
    std::cout << line << (line.rfind("--", 0) == 0 ? "\n" : ";\n");
  }
}

}  // namespace

void add_migrate_commands(CLI::App& app, Context& ctx) {
  auto target_up = std::make_shared<std::string>("head");
  auto* up = app.add_subcommand("upgrade", "upgrade the database to a target (default head)");
  up->add_option("target", *target_up, "head, heads, +N, a revision id or prefix, label@head, REV+N")
      ->capture_default_str();
  auto sql_up = std::make_shared<bool>(false);
  up->add_flag("--sql", *sql_up,
               "print the SQL it would run for the --url's dialect instead of running it (target may be FROM:TO)");
  up->callback([&ctx, target_up, sql_up] {
    Config c = ctx.config();
    if (*sql_up) return print_offline(ctx, c, *target_up, Direction::up);
    History h = ctx.history();
    auto conn = ctx.connect();
    Runner runner(*conn, h, run_options(ctx, c));
    auto steps = runner.upgrade(*target_up);
    if (steps.empty()) std::cerr << "Already at " << *target_up << ": nothing to do\n";
  });

  auto target_down = std::make_shared<std::string>();
  auto* down = app.add_subcommand("downgrade", "downgrade the database to a target");
  down->add_option("target", *target_down, "-N, base, a revision id or prefix, REV-N")->required();
  auto sql_down = std::make_shared<bool>(false);
  down->add_flag("--sql", *sql_down,
                 "print the SQL it would run for the --url's dialect instead of running it (target may be FROM:TO)");
  down->callback([&ctx, target_down, sql_down] {
    Config c = ctx.config();
    if (*sql_down) return print_offline(ctx, c, *target_down, Direction::down);
    History h = ctx.history();
    auto conn = ctx.connect();
    Runner runner(*conn, h, run_options(ctx, c));
    auto steps = runner.downgrade(*target_down);
    if (steps.empty()) std::cerr << "Already at " << *target_down << ": nothing to do\n";
  });

  auto target_stamp = std::make_shared<std::string>();
  auto* stamp = app.add_subcommand("stamp", "write the version table without running any revision");
  stamp->add_option("target", *target_stamp, "head, heads, base or a revision")->required();
  stamp->callback([&ctx, target_stamp] {
    Config c = ctx.config();
    History h = ctx.history();
    auto conn = ctx.connect();
    Runner runner(*conn, h, run_options(ctx, c));
    runner.stamp(*target_stamp);
  });

  auto* current = app.add_subcommand("current", "print the database's revision ids, one per line");
  current->callback([&ctx] {
    Config c = ctx.config();
    auto conn = ctx.connect();
    // No history needed to read the version table; an empty history suffices.
    History none;
    Runner runner(*conn, none, run_options(ctx, c));
    auto ids = runner.current();
    print_ids(ids);
    if (ids.empty()) std::cerr << "(base: no revision applied)\n";
  });
}

}  // namespace migtest::cli
