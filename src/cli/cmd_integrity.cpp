// validate and repair: the version table against the history (checksums, dirty revisions,
// revisions missing or never applied), and what a person records once they have looked.
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.hpp"
#include "migtest/runner.hpp"

namespace migtest::cli {

namespace {

RunOptions options_of(const Config& c) {
  RunOptions o;
  o.version_table = c.version_table;
  return o;
}

// Prints every problem, errors first marked as such; returns how many block a migration.
std::size_t print_problems(const std::vector<IntegrityProblem>& problems) {
  std::size_t blocking = 0;
  for (const auto& p : problems) {
    blocking += p.blocking() ? 1 : 0;
    std::cout << (p.blocking() ? "error: " : "note: ") << p.message << "\n";
  }
  return blocking;
}

void validate(Context& ctx) {
  Config c = ctx.config();
  History h = ctx.history();
  auto conn = ctx.connect_to_read();
  if (!conn) {
    std::cout << "ok: the database does not exist yet (at base)\n";
    return;
  }
  Runner runner(*conn, h, options_of(c));
  const std::size_t blocking = print_problems(runner.validate());
  const std::size_t applied = runner.applied().size();
  if (blocking > 0) {
    std::cout << fmt::format(
        "{} problem{}: upgrade and downgrade refuse to run until they are resolved\n", blocking,
        blocking == 1 ? "" : "s");
    ctx.exit_code = 1;
    return;
  }
  std::cout << fmt::format("ok: {} applied revision{} match{} the history\n", applied,
                           applied == 1 ? "" : "s", applied == 1 ? "es" : "");
}

struct RepairArgs {
  std::string applied, not_applied;
};

void repair(Context& ctx, const RepairArgs& args) {
  Config c = ctx.config();
  History h = ctx.history();
  if (ctx.database_missing()) {
    std::cout << "nothing to repair: the database does not exist yet\n";
    return;
  }
  auto conn = ctx.connect();
  Runner runner(*conn, h, options_of(c));
  if (!args.applied.empty()) {
    std::cout << runner.mark_applied(args.applied) << "\n";
  } else if (!args.not_applied.empty()) {
    std::cout << runner.mark_not_applied(args.not_applied) << "\n";
  } else {
    auto done = runner.repair();
    for (const auto& line : done) std::cout << line << "\n";
    if (done.empty())
      std::cout << "no checksum to record: every applied revision matches its file\n";
  }
  // What repair cannot decide alone stays listed, with what to run.
  std::vector<IntegrityProblem> left;
  for (auto& p : runner.validate()) {
    if (p.blocking()) left.push_back(std::move(p));
  }
  if (print_problems(left) > 0) ctx.exit_code = 1;
}

}  // namespace

void add_integrity_commands(CLI::App& app, Context& ctx) {
  auto* v = app.add_subcommand(
      "validate",
      "check the version table against the history: edited, missing, dirty or skipped revisions");
  v->callback([&ctx] { validate(ctx); });

  auto args = std::make_shared<RepairArgs>();
  auto* r = app.add_subcommand("repair",
                               "after checking the database by hand: record the current checksums, "
                               "or resolve a dirty revision");
  auto* applied =
      r->add_option("--applied", args->applied,
                    "record REVISION as applied without running it (a dirty or skipped revision "
                    "the database now holds)");
  auto* not_applied =
      r->add_option("--not-applied", args->not_applied,
                    "remove REVISION from the version table without running anything");
  applied->excludes(not_applied);
  r->callback([&ctx, args] { repair(ctx, *args); });
}

}  // namespace migtest::cli
