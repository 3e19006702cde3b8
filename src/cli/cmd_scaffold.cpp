// init and revision: the files a team starts from.
#include <fmt/format.h>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "migtest/autogenerate.hpp"
#include "migtest/dialect.hpp"
#include "migtest/error.hpp"
#include "migtest/runner.hpp"
#include "migtest/url.hpp"
#include "strings.hpp"

namespace migtest::cli {

namespace fs = boost::filesystem;

namespace {

std::string utc_now() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void init(const std::string& dir, const std::string& url) {
  fs::path root(dir);
  fs::path versions = root / "versions";
  fs::path config = root / "migtest.toml";
  if (fs::exists(config)) {
    throw usage_error(fmt::format("'{}' already exists: nothing was changed", config.string()));
  }
  fs::create_directories(versions);
  std::ofstream out(config.string());
  out << "# migtest configuration. DATABASE_URL and --url override url.\n"
      << "migrations = \"versions\"\n"
      << fmt::format("url = \"{}\"\n", url) << "version_table = \"migtest_version\"\n";
  if (!out) throw usage_error(fmt::format("cannot write '{}'", config.string()));
  std::cerr << fmt::format("Created {}/ and {}\n", versions.string(), config.string());
  std::cerr << "Next: migtest revision -m \"create users\"\n";
}

using detail::join;

// What a new revision builds on: --head as Alembic reads it (a revision or unique prefix,
// label@head for a branch's head, base for a new root), else the history's only head.
std::vector<std::string> parents_of_new(const History& h, const std::string& head) {
  if (head == "base") return {};
  if (head.empty()) {
    auto heads = h.graph().heads();
    if (heads.size() > 1) {
      throw multiple_heads_error(
          fmt::format(
              "multiple heads: {}; name one with --head, or write a merge revision (migtest merge)",
              join(heads)),
          heads);
    }
    return heads;
  }
  return {resolve_revision(h, head)};
}

// A revision or unique prefix, label@head or heads, as full ids (merge, --depends-on).
std::vector<std::string> resolve_ids(const History& h, const std::string& name) {
  if (name == "heads") return h.graph().heads();
  return {resolve_revision(h, name)};
}

// revision --cpp without --autogenerate: an empty C++ revision that compiles and runs as a no-op.
std::string empty_cpp_revision(const Revision& r) {
  std::string out = fmt::format("// {}\n", r.message);
  out +=
      "// Written by migtest revision --cpp: fill in the upgrade (and the downgrade, its exact\n"
      "// inverse) with op.* calls, then compile it into the program that runs your migrations\n"
      "// (migtest::cli::main with your registry). Empty, it is a valid no-op.\n";
  out += "#include <migtest/ops.hpp>\n#include <migtest/registry.hpp>\n\n";
  auto quoted = [](const std::string& text) {
    std::string q = "\"";
    for (char c : text) q += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
    return q + "\"";
  };
  out += fmt::format("MIGTEST_REVISION({}, {}, {}) {{\n}}\n", r.id, quoted(join(r.down_revisions)),
                     quoted(r.message));
  if (r.reversible) out += fmt::format("\nMIGTEST_DOWNGRADE({}) {{\n}}\n", r.id);
  if (!r.branch_labels.empty() || !r.depends_on.empty()) {
    out += fmt::format("\nMIGTEST_REVISION_OPTIONS({}) {{\n", r.id);
    auto list = [&](const std::vector<std::string>& v) {
      std::string l;
      for (const auto& x : v) l += (l.empty() ? "" : ", ") + quoted(x);
      return l;
    };
    if (!r.branch_labels.empty())
      out += fmt::format("  r.branch_labels = {{{}}};\n", list(r.branch_labels));
    if (!r.depends_on.empty()) out += fmt::format("  r.depends_on = {{{}}};\n", list(r.depends_on));
    out += "}\n";
  }
  return out;
}

std::string write_new_file(const std::string& path, const std::string& text) {
  if (fs::exists(path)) throw usage_error(fmt::format("{} already exists", path));
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw usage_error(fmt::format("cannot write '{}'", path));
  return path;
}

struct AutogenerateOptions {
  std::string message, head, dialect, output_dir;
  std::vector<std::string> branch_labels, depends_on;
  bool cpp = false;
};

std::vector<std::string> resolve_all(const History& h, const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& n : names) {
    for (auto& id : resolve_ids(h, n)) {
      if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(std::move(id));
    }
  }
  return out;
}

// revision --autogenerate: the flags checked, the revision described, the library's
// autogenerate_revision() run (on scratch databases only), its file written.
void write_autogenerated_revision(const Context& ctx, const AutogenerateOptions& o) {
  Config c = ctx.config();
  if (!ctx.models) {
    throw usage_error(
        "revision --autogenerate needs the models: run it from your project's own migtest command, "
        "built with migtest::cli::main(argc, argv, registry, models)");
  }
  if (c.migrations.empty())
    throw usage_error("no migrations directory: pass --migrations DIR or run migtest init");
  const Dialect on_url = dialect_of_url(c.url);
  const bool all = o.dialect == "all";
  const std::optional<Dialect> chosen = exact_dialect(o.dialect);
  if (!o.dialect.empty() && !all && !chosen) {
    throw usage_error(fmt::format("--dialect '{}': expected sqlite, postgresql or all", o.dialect));
  }
  const Dialect primary = chosen.value_or(on_url);
  if (primary == Dialect::postgresql && on_url != Dialect::postgresql) {
    throw usage_error(
        "--dialect postgresql compares on a PostgreSQL server: pass --url postgresql://...");
  }
  AutogenerateRevisionOptions options;
  options.url = primary == Dialect::sqlite ? "" : c.url;
  options.dialects = {primary};
  if (all)
    options.dialects.push_back(primary == Dialect::sqlite ? Dialect::postgresql : Dialect::sqlite);
  options.cpp = o.cpp;

  History h = ctx.history();
  Revision r;
  r.id = new_revision_id();
  r.message = o.message;
  r.created = utc_now();
  r.down_revisions = parents_of_new(h, o.head);
  r.branch_labels = o.branch_labels;
  r.depends_on = resolve_all(h, o.depends_on);

  GeneratedRevision g = migtest::autogenerate_revision(h, *ctx.models, r, options);
  for (const auto& line : g.generated.detected) std::cerr << line << "\n";
  for (const auto& n : g.generated.notes) std::cerr << style("note: ", kYellow) << n << "\n";
  if (g.empty()) {
    std::cerr << "No changes in schema detected: no revision written\n";
    return;
  }
  for (const auto& w : g.warnings) std::cerr << style("warning: ", kYellow) << w << "\n";
  std::string dir = o.output_dir.empty() ? c.migrations : o.output_dir;
  fs::create_directories(dir);
  std::cout << write_new_file((fs::path(dir) / g.file_name).string(), g.text) << "\n";
  std::cerr << fmt::format("Generated {} ({}): review it before applying\n", r.id, r.message);
}

// The configured migrations directory, which must exist, and the history in it (C++ revisions
// included: a new file builds on the head whatever defines it), refused for a foreign layout.
std::string writable_migrations(const Context& ctx, History& h) {
  Config c = ctx.config();
  if (c.migrations.empty()) {
    throw usage_error("no migrations directory: pass --migrations DIR or run migtest init");
  }
  if (!fs::is_directory(c.migrations)) {
    throw usage_error(
        fmt::format("migrations directory '{}' does not exist (run migtest init)", c.migrations));
  }
  h = ctx.history();
  if (h.layout() != "migtest" && h.layout() != "cpp" && !h.scripts().empty()) {
    throw usage_error(fmt::format("'{}' holds a {} history: write its revisions with {}'s own tool",
                                  c.migrations, h.layout(), h.layout()));
  }
  return c.migrations;
}

Revision new_revision(const std::string& message) {
  Revision r;
  r.id = new_revision_id();
  r.message = message;
  r.created = utc_now();
  return r;
}

void add_revision_command(CLI::App& app, Context& ctx) {
  auto* rev = app.add_subcommand("revision", "create a new revision file");
  auto o = std::make_shared<AutogenerateOptions>();
  auto irreversible = std::make_shared<bool>(false);
  auto autogen = std::make_shared<bool>(false);
  rev->add_option("-m,--message", o->message, "what the revision does")->required();
  rev->add_option(
      "--head", o->head,
      "what it builds on: a revision, LABEL@head (a branch's head) or base (a new root); "
      "needed when the history has several heads");
  rev->add_option("--branch-label", o->branch_labels,
                  "a branch label for the new revision (repeatable)");
  rev->add_option(
      "--depends-on", o->depends_on,
      "a revision (or LABEL@head) that must be applied first without being a parent (repeatable)");
  rev->add_flag("--irreversible", *irreversible, "write a revision without a down section");
  rev->add_flag(
      "--autogenerate", *autogen,
      "compare the models with the database at head and write the revision that makes them equal");
  rev->add_flag("--cpp", o->cpp, "write a C++ revision (MIGTEST_REVISION) instead of SQL");
  rev->add_option(
      "--dialect", o->dialect,
      "with --autogenerate: sqlite, postgresql or all (one section each); default: the --url's");
  rev->add_option("--output-dir", o->output_dir,
                  "where to write the file (default: the migrations directory)");
  rev->callback([&ctx, o, irreversible, autogen] {
    if (*autogen) return write_autogenerated_revision(ctx, *o);
    if (!o->dialect.empty()) throw usage_error("--dialect goes with --autogenerate");
    History h;
    std::string dir = writable_migrations(ctx, h);
    if (!o->output_dir.empty()) dir = o->output_dir;
    Revision r = new_revision(o->message);
    r.down_revisions = parents_of_new(h, o->head);
    r.branch_labels = o->branch_labels;
    r.depends_on = resolve_all(h, o->depends_on);
    r.reversible = !*irreversible;
    std::string path;
    if (o->cpp) {
      std::string slug = slugify(r.message);
      fs::create_directories(dir);
      path = write_new_file(
          (fs::path(dir) / (r.id + (slug.empty() ? "" : "_" + slug) + ".cpp")).string(),
          empty_cpp_revision(r));
    } else {
      path = write_revision_file(dir, r, "", *irreversible ? "" : "-- the exact inverse of up\n");
    }
    std::cout << path << "\n";
    std::cerr << fmt::format("Generated {} ({}): {}\n", r.id, r.message,
                             o->cpp
                                 ? "write its operations, then compile it into your migtest program"
                                 : "write its SQL under -- migrate:up and -- migrate:down");
  });
}

// merge: Alembic's merge revision, a no-op whose parents are the given revisions.
void add_merge_command(CLI::App& app, Context& ctx) {
  auto* merge =
      app.add_subcommand("merge", "write a merge revision of two or more heads (an empty no-op)");
  auto revisions = std::make_shared<std::vector<std::string>>();
  auto message = std::make_shared<std::string>();
  auto labels = std::make_shared<std::vector<std::string>>();
  merge
      ->add_option("revisions", *revisions,
                   "the revisions to merge: heads, ids, prefixes or LABEL@head")
      ->required();
  merge->add_option("-m,--message", *message, "what the merge is for");
  merge->add_option("--branch-label", *labels,
                    "a branch label for the merge revision (repeatable)");
  merge->callback([&ctx, revisions, message, labels] {
    History h;
    std::string dir = writable_migrations(ctx, h);
    Revision r = new_revision(message->empty() ? "merge" : *message);
    r.down_revisions = resolve_all(h, *revisions);
    if (r.down_revisions.size() < 2) {
      throw usage_error(fmt::format("merge needs two or more revisions: {} names only {}",
                                    join(*revisions), join(r.down_revisions)));
    }
    for (const auto& a : r.down_revisions) {
      for (const auto& b : r.down_revisions) {
        if (a != b && h.graph().is_ancestor(a, b)) {
          throw usage_error(fmt::format("merge: {} is already an ancestor of {}", a, b));
        }
      }
    }
    r.branch_labels = *labels;
    std::string path = write_revision_file(dir, r, "", "");
    std::cout << path << "\n";
    std::cerr << fmt::format("Generated merge revision {} of {}\n", r.id, join(r.down_revisions));
  });
}

// edit: the revision's file in $EDITOR (as Alembic), waiting for it to close.
void add_edit_command(CLI::App& app, Context& ctx) {
  auto* edit = app.add_subcommand("edit", "open a revision's file in $VISUAL or $EDITOR");
  auto rev = std::make_shared<std::string>("head");
  edit->add_option("revision", *rev, "a revision, unique prefix, head or LABEL@head")
      ->capture_default_str();
  edit->callback([&ctx, rev] {
    History h = ctx.history();
    const Revision& r = h.graph().get(resolve_revision(h, *rev));
    if (r.file.empty())
      throw usage_error(fmt::format("revision {} is a C++ revision: it has no file to edit", r.id));
    const char* editor = std::getenv("VISUAL");
    if (!editor || !*editor) editor = std::getenv("EDITOR");
    if (!editor || !*editor) throw usage_error(fmt::format("set $EDITOR to edit {}", r.file));
    std::string quoted = "'";
    for (char c : r.file) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    int rc = std::system(fmt::format("{} {}'", editor, quoted).c_str());
    if (rc != 0) throw usage_error(fmt::format("the editor ({}) failed on {}", editor, r.file));
  });
}

}  // namespace

void add_scaffold_commands(CLI::App& app, Context& ctx) {
  auto* init_cmd = app.add_subcommand("init", "scaffold a migrations directory and migtest.toml");
  auto dir = std::make_shared<std::string>("migrations");
  auto url = std::make_shared<std::string>("sqlite:///app.db");
  init_cmd->add_option("directory", *dir, "where to create it")->capture_default_str();
  init_cmd->add_option("--database-url", *url, "url written to migtest.toml")
      ->capture_default_str();
  init_cmd->callback([dir, url] { init(*dir, *url); });

  add_revision_command(app, ctx);
  add_merge_command(app, ctx);
  add_edit_command(app, ctx);
}

}  // namespace migtest::cli
