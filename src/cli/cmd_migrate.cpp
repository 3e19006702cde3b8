// upgrade, downgrade, stamp, current: the commands that touch the database.
#include <fmt/format.h>
#include <unistd.h>

#include <iostream>

#include "cli/commands.hpp"
#include "migtest/runner.hpp"

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

}  // namespace

void add_migrate_commands(CLI::App& app, Context& ctx) {
  auto target_up = std::make_shared<std::string>("head");
  auto* up = app.add_subcommand("upgrade", "upgrade the database to a target (default head)");
  up->add_option("target", *target_up, "head, heads, +N, a revision id or prefix, label@head, REV+N")
      ->capture_default_str();
  up->callback([&ctx, target_up] {
    Config c = ctx.config();
    History h = ctx.history();
    auto conn = ctx.connect();
    Runner runner(*conn, h, run_options(ctx, c));
    auto steps = runner.upgrade(*target_up);
    if (steps.empty()) std::cerr << "Already at " << *target_up << ": nothing to do\n";
  });

  auto target_down = std::make_shared<std::string>();
  auto* down = app.add_subcommand("downgrade", "downgrade the database to a target");
  down->add_option("target", *target_down, "-N, base, a revision id or prefix, REV-N")->required();
  down->callback([&ctx, target_down] {
    Config c = ctx.config();
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
