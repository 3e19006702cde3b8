// lint: the revision SQL read for risky statements, without a database.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <set>

#include "cli/commands.hpp"
#include "migtest/lint.hpp"
#include "migtest/url.hpp"

namespace migtest::cli {

namespace {

struct LintArgs {
  std::vector<std::string> revisions;
  std::string range;
  std::string dialect;
  std::string format = "text";
  std::string output;
};

// Ids of the revisions `target` stands for together with all it needs (its ancestors).
std::set<std::string> up_to(const History& h, const std::string& target) {
  std::set<std::string> out;
  for (const auto& step : h.graph().plan_upgrade({}, target)) out.insert(step.revision);
  return out;
}

// "A:B": A, B and every revision between them (Alembic's history -r); an empty side is base
// (A) or every head (B).
std::vector<std::string> in_range(const History& h, const std::string& range) {
  std::size_t colon = range.find(':');
  if (colon == std::string::npos) {
    throw usage_error(
        fmt::format("-r '{}': expected a range A:B (either side may be empty)", range));
  }
  std::string from = range.substr(0, colon), to = range.substr(colon + 1);
  std::set<std::string> upper = up_to(h, to.empty() ? "heads" : to);
  std::set<std::string> below;
  if (!from.empty() && from != "base") {
    below = up_to(h, from);
    below.erase(h.graph().get(from).id);
  }
  std::vector<std::string> ids;
  for (const auto& s : h.scripts()) {
    if (upper.count(s.revision.id) && !below.count(s.revision.id)) ids.push_back(s.revision.id);
  }
  if (ids.empty()) throw usage_error(fmt::format("-r '{}' selects no revision", range));
  return ids;
}

// --dialect (checked by CLI11 against the words exact_dialect reads), else the URL's.
Dialect dialect_of(const Context& ctx, const std::string& chosen) {
  if (auto d = exact_dialect(chosen)) return *d;
  return dialect_of_url(ctx.config().url);
}

std::string render(const LintReport& report, const std::string& format) {
  if (format == "json") return render_lint_json(report);
  if (format == "junit") return render_lint_junit(report);
  if (format == "sarif") return render_lint_sarif(report);
  return render_lint_text(report);
}

void run_lint(Context& ctx, const LintArgs& args) {
  History h = ctx.history();
  std::vector<std::string> ids = args.revisions;
  if (!args.range.empty()) {
    for (auto& id : in_range(h, args.range)) ids.push_back(std::move(id));
  }
  for (auto& id : ids) id = h.graph().get(id).id;  // a clear error for an unknown one
  LintReport report = lint_history(h, dialect_of(ctx, args.dialect), ids, ctx.config().lint);
  if (args.output.empty()) {
    std::cout << render(report, args.format);
  } else {
    std::ofstream out(args.output, std::ios::binary | std::ios::trunc);
    out << render(report, args.format);
    if (!out) throw usage_error(fmt::format("cannot write the lint report to '{}'", args.output));
    if (args.format != "text") std::cout << render_lint_text(report);
  }
  if (report.errors()) ctx.exit_code = 1;
}

}  // namespace

void add_lint_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<LintArgs>();
  auto* cmd = app.add_subcommand(
      "lint",
      "check revision SQL for statements risky on a live database (locks, rewrites, lost data, "
      "renames), without a database; exit status 1 when an error-severity finding remains");
  cmd->add_option("revisions", args->revisions,
                  "revisions to lint (ids or unique prefixes; default: every revision)");
  cmd->add_option(
      "-r,--range", args->range,
      "a range A:B of revisions to lint, both ends included (either side may be empty)");
  cmd->add_option("--dialect", args->dialect,
                  "sqlite or postgresql (default: the configured URL's, else sqlite)")
      ->check(CLI::IsMember({to_string(Dialect::sqlite), to_string(Dialect::postgresql)}));
  cmd->add_option("--format", args->format, "text (default), json, junit or sarif")
      ->check(CLI::IsMember({"text", "json", "junit", "sarif"}));
  cmd->add_option("-o,--output", args->output,
                  "write the report to FILE (the text report still goes to stdout)");
  cmd->callback([&ctx, args] { run_lint(ctx, *args); });
}

}  // namespace migtest::cli
