// upgrade, downgrade, stamp, current: the commands that touch the database.
#include <fmt/format.h>
#include <unistd.h>

#include <functional>
#include <iostream>
#include <memory>

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
// created); "FROM:TO" names the start instead, as Alembic's offline mode does. FROM is any
// target (head, base, a prefix, LABEL@head): what the version table would hold there.
std::vector<std::string> offline_start(const Context& ctx, const Config& c, const History& h,
                                       std::string& target) {
  auto colon = target.find(':');
  if (colon != std::string::npos) {
    std::string from = target.substr(0, colon);
    target = target.substr(colon + 1);
    if (target.empty())
      throw usage_error(fmt::format("--sql {}:  names no target after ':'", from));
    if (from.empty() || from == "base") return {};
    return h.graph().resolve_heads({}, from);
  }
  if (c.url.empty()) {
    throw usage_error(
        "no database configured: pass --url URL (its dialect is the SQL's), or FROM:TO as the "
        "target");
  }
  auto conn = ctx.connect_to_read();
  if (!conn) return {};  // a SQLite file not there yet is at base
  History none;
  Runner runner(*conn, none, run_options(ctx, c));
  return runner.current();
}

void print_offline(const Context& ctx, const Config& c, std::string target, Direction direction) {
  History h = ctx.history();
  std::vector<std::string> current = offline_start(ctx, c, h, target);
  const Dialect dialect = dialect_of_url(c.url);
  OfflineOptions o;
  o.version_table = c.version_table;
  o.direction = direction;
  for (const auto& line : offline_sql(h, dialect, current, target, o)) {
    std::cout << line << (line.rfind("--", 0) == 0 ? "\n" : ";\n");
  }
}

// A database that does not exist yet is at base: a command is checked against that first, and
// the SQLite file is created only when the command has something to write. True when there is
// nothing to do.
bool nothing_to_write(const Context& ctx, const History& h,
                      const std::function<bool()>& empty_from_base) {
  if (!ctx.database_missing()) return false;
  h.check(parse_url(ctx.config().url).dialect);
  return empty_from_base();
}

void say_nothing_to_do(const std::string& target) {
  std::cerr << "Already at " << target << ": nothing to do\n";
}

// "a1b2c3d4e5f6", or "a1b2c3d4e5f6 (dirty: ...)" for each dirty revision, as `current` prints them.
void print_current(Runner& runner) {
  auto ids = runner.current();
  std::vector<std::string> dirty;
  for (const auto& row : runner.applied()) {
    if (row.dirty)
      dirty.push_back(fmt::format("revision {} is dirty: {}", row.revision, row.dirty_text()));
  }
  if (dirty.empty()) {
    print_ids(ids);
  } else {
    std::string heads = ids.empty() ? "<base>" : fmt::format("{}", fmt::join(ids, " "));
    for (const auto& d : dirty) std::cout << heads << " (" << d << ")\n";
  }
  if (ids.empty() && dirty.empty()) std::cerr << "(base: no revision applied)\n";
}

// The history when one is configured (current -v describes each revision from it), else none.
std::unique_ptr<History> history_if_configured(const Context& ctx) {
  if (ctx.config().migrations.empty() && (!ctx.registry || ctx.registry->empty())) return nullptr;
  return std::make_unique<History>(ctx.history());
}

void print_current_verbose(const Context& ctx, Runner& runner) {
  auto h = history_if_configured(ctx);
  std::cout << fmt::format("Current revision(s) for {}:\n", parse_url(ctx.config().url).redacted());
  for (const auto& row : runner.applied()) {
    if (!row.head && !row.dirty) continue;
    if (h && h->graph().contains(row.revision)) {
      std::cout << revision_block(h->graph().get(row.revision));
    } else {
      std::cout << fmt::format("Rev: {}{}\n", row.revision, h ? " (not in the history)" : "");
    }
    if (!row.applied_at.empty()) std::cout << fmt::format("Applied: {}\n", row.applied_at);
    if (!row.checksum.empty()) std::cout << fmt::format("Checksum: {}\n", row.checksum);
    if (row.dirty) std::cout << fmt::format("Dirty: {}\n", row.dirty_text());
    std::cout << "\n";
  }
}

void write_current_json(Runner* runner) {
  detail::JsonWriter w;
  w.begin_object().field("heads", runner ? runner->current() : std::vector<std::string>{});
  w.key("applied").begin_array();
  if (runner) {
    for (const auto& row : runner->applied()) {
      w.begin_object().field("revision", row.revision).field("head", row.head);
      w.field_or_null("applied_at", row.applied_at).field_or_null("checksum", row.checksum);
      w.key("dirty");
      if (!row.dirty) {
        w.null();
      } else {
        w.begin_object().field("direction", to_string(*row.dirty));
        w.key("statement");
        row.dirty_statement ? w.value(row.dirty_statement) : w.null();
        w.field_or_null("error", row.dirty_error).end_object();
      }
      w.end_object();
    }
  }
  w.end_array().end_object();
  std::cout << w.str() << "\n";
}

void add_current_command(CLI::App& app, Context& ctx) {
  auto* current = app.add_subcommand(
      "current",
      "print the database's revision ids, one per line (-v, --verbose: each one described)");
  auto format = std::make_shared<std::string>();
  add_format_option(current, *format);
  current->callback([&ctx, format] {
    Config c = ctx.config();
    auto conn = ctx.connect_to_read();
    if (!conn) {
      if (*format == "json") return write_current_json(nullptr);
      std::cerr << "(base: the database file does not exist yet)\n";
      return;
    }
    // The version table flags its heads: no history is needed to read them.
    History none;
    Runner runner(*conn, none, run_options(ctx, c));
    if (*format == "json") return write_current_json(&runner);
    if (ctx.verbose) return print_current_verbose(ctx, runner);
    print_current(runner);
  });
}

}  // namespace

void add_migrate_commands(CLI::App& app, Context& ctx) {
  auto target_up = std::make_shared<std::string>("head");
  auto* up = app.add_subcommand("upgrade", "upgrade the database to a target (default head)");
  up->add_option("target", *target_up,
                 "head, heads, +N, a revision id or prefix, label@head, REV+N")
      ->capture_default_str();
  auto sql_up = std::make_shared<bool>(false);
  up->add_flag("--sql", *sql_up,
               "print the SQL instead of running it, for the --url's dialect (else SQLite); the "
               "target may be "
               "FROM:TO, FROM any target (head:base, a1b2:base): no database is read then");
  auto out_of_order = std::make_shared<bool>(false);
  up->add_flag("--out-of-order", *out_of_order,
               "also apply revisions older than the newest applied one that were never applied");
  up->callback([&ctx, target_up, sql_up, out_of_order] {
    Config c = ctx.config();
    if (*sql_up) return print_offline(ctx, c, *target_up, Direction::up);
    History h = ctx.history();
    if (nothing_to_write(ctx, h, [&] { return h.graph().plan_upgrade({}, *target_up).empty(); })) {
      return say_nothing_to_do(*target_up);
    }
    auto conn = ctx.connect();
    RunOptions o = run_options(ctx, c);
    o.out_of_order = *out_of_order;
    Runner runner(*conn, h, o);
    auto steps = runner.upgrade(*target_up);
    if (steps.empty()) say_nothing_to_do(*target_up);
  });

  auto target_down = std::make_shared<std::string>();
  auto* down = app.add_subcommand("downgrade", "downgrade the database to a target");
  down->add_option("target", *target_down, "-N, base, a revision id or prefix, REV-N")->required();
  auto sql_down = std::make_shared<bool>(false);
  down->add_flag("--sql", *sql_down,
                 "print the SQL instead of running it, for the --url's dialect (else SQLite); the "
                 "target may be "
                 "FROM:TO, FROM any target (head:base, a1b2:base): no database is read then");
  down->callback([&ctx, target_down, sql_down] {
    Config c = ctx.config();
    if (*sql_down) return print_offline(ctx, c, *target_down, Direction::down);
    History h = ctx.history();
    if (nothing_to_write(ctx, h,
                         [&] { return h.graph().plan_downgrade({}, *target_down).empty(); })) {
      return say_nothing_to_do(*target_down);
    }
    auto conn = ctx.connect();
    Runner runner(*conn, h, run_options(ctx, c));
    auto steps = runner.downgrade(*target_down);
    if (steps.empty()) say_nothing_to_do(*target_down);
  });

  auto target_stamp = std::make_shared<std::string>();
  auto* stamp = app.add_subcommand("stamp", "write the version table without running any revision");
  stamp->add_option("target", *target_stamp, "head, heads, base or a revision")->required();
  stamp->callback([&ctx, target_stamp] {
    Config c = ctx.config();
    History h = ctx.history();
    if (nothing_to_write(ctx, h,
                         [&] { return h.graph().resolve_heads({}, *target_stamp).empty(); })) {
      return say_nothing_to_do(*target_stamp);
    }
    auto conn = ctx.connect();
    Runner runner(*conn, h, run_options(ctx, c));
    runner.stamp(*target_stamp);
  });

  add_current_command(app, ctx);

  auto* ensure = app.add_subcommand("ensure_version",
                                    "create the version table if it is missing, and nothing else");
  ensure->callback([&ctx] {
    Config c = ctx.config();
    auto conn = ctx.connect();
    History none;
    Runner runner(*conn, none, run_options(ctx, c));
    runner.ensure_version_table();
    std::cerr << fmt::format("Version table {} is there\n", c.version_table);
  });
}

}  // namespace migtest::cli
