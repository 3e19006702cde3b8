// verify: every revision checked on a throwaway database of the configured backend.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "migtest/url.hpp"
#include "migtest/verify.hpp"
#include "testdb/scratch.hpp"

namespace migtest::cli {

namespace {

struct VerifyArgs {
  std::vector<std::string> checks;
  std::string junit;
  std::string seeds;
  std::vector<std::string> heads;
  std::string min_downgrade;
  std::vector<std::string> skip;
  bool strict_lint = false;
  bool full_reflection = false;
  std::string format;
};

// The report goes to stdout: colour only when stdout itself is a terminal.
std::string red_fail(std::string line) {
  static const bool color = ::isatty(1) && std::getenv("NO_COLOR") == nullptr;
  std::size_t at = line.find("FAIL");
  if (color && at != std::string::npos) line.replace(at, 4, "\033[31mFAIL\033[0m");
  return line;
}

}  // namespace

void add_verify_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<VerifyArgs>();
  auto* cmd = app.add_subcommand(
      "verify",
      "check every revision on a temporary database: upgrade, downgrade, upgrade again with the "
      "whole schema compared, seeded data, lint, full cycle");
  cmd->add_option("--checks", args->checks,
                  "checks to run, comma-separated: single_head, upgrade, round_trip, data, lint, "
                  "full_cycle, model_match (default: all)")
      ->delimiter(',');
  cmd->add_option("--junit", args->junit, "also write a JUnit XML report to FILE");
  cmd->add_option("--seeds", args->seeds,
                  "directory of seed files (<revision>.sql) for the data check");
  cmd->add_option("--heads", args->heads, "the heads the history must have (default: exactly one)")
      ->delimiter(',');
  cmd->add_option("--min-downgrade", args->min_downgrade,
                  "the irreversible floor: this revision and older ones are never downgraded");
  cmd->add_option("--skip", args->skip,
                  "revisions upgraded but not round-tripped, seeded or linted")
      ->delimiter(',');
  cmd->add_flag("--strict-lint", args->strict_lint, "lint warnings fail their revision");
  cmd->add_flag("--full-reflection", args->full_reflection,
                "reflect the whole database at every step (slower; the default reflects only "
                "the tables that changed)");
  add_format_option(cmd, args->format);
  cmd->callback([&ctx, args] {
    Config c = ctx.config();
    History h = ctx.history();
    VerifyOptions o;
    if (!args->checks.empty()) {
      o.checks.clear();
      for (const auto& name : args->checks) o.checks.push_back(parse_check(name));
    }
    o.heads = args->heads;
    o.min_downgrade = args->min_downgrade;
    o.skip = args->skip;
    o.lint_fails = args->strict_lint;
    o.lint = c.lint;  // migtest.toml's [lint]: the rules `migtest lint` uses
    o.incremental_reflection = !args->full_reflection;
    o.version_table = c.version_table;
    o.schemas = c.schemas;
    o.metadata = ctx.models;  // a project's own binary may give its models: model_match
    if (!args->seeds.empty()) o.seeds = load_seeds(args->seeds);

    // The configured URL only says which backend: verify never touches that database.
    std::string backend = c.url.empty() || parse_url(c.url).dialect == Dialect::sqlite ? "" : c.url;
    detail::ScratchDatabase db(backend);
    const bool json = args->format == "json";
    // JSON: one document at the end, the progress lines go to stderr.
    std::ostream& progress = json ? std::cerr : std::cout;
    progress << fmt::format("verifying {} revision{} on {} ({})\n", h.scripts().size(),
                            h.scripts().size() == 1 ? "" : "s", to_string(db.dialect()),
                            db.description())
             << std::flush;
    o.on_revision = [&progress](const RevisionResult& r, int, int) {
      progress << (r.status() == Status::failed ? red_fail(render_revision(r)) : render_revision(r))
               << std::flush;
    };
    o.on_history_check = [&progress](const CheckResult& r) {
      progress << (r.status == Status::failed ? red_fail(render_history_check(r))
                                              : render_history_check(r))
               << std::flush;
    };
    // After a failure that leaves the database where no deploy would, the walk goes on
    // from a new database of the same backend, never from this one emptied in place.
    o.fresh_database = scratch_databases(backend);
    VerifyReport report = verify(db.connection(), h, o);
    progress << render_summary(report) << "\n";
    if (json) print_verify_json(report);
    if (!args->junit.empty()) {
      std::ofstream out(args->junit, std::ios::binary | std::ios::trunc);
      out << render_junit(report);
      if (!out)
        throw usage_error(fmt::format("cannot write the JUnit report to '{}'", args->junit));
    }
    if (!report.ok()) ctx.exit_code = 1;
  });
}

}  // namespace migtest::cli
