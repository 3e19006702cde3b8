// init and revision: the files a team starts from.
#include <fmt/format.h>

#include <boost/filesystem.hpp>
#include <chrono>
#include <ctime>
#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "migtest/error.hpp"

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
      << fmt::format("url = \"{}\"\n", url)
      << "version_table = \"migtest_version\"\n";
  if (!out) throw usage_error(fmt::format("cannot write '{}'", config.string()));
  std::cerr << fmt::format("Created {}/ and {}\n", versions.string(), config.string());
  std::cerr << "Next: migtest revision -m \"create users\"\n";
}

}  // namespace

void add_scaffold_commands(CLI::App& app, Context& ctx) {
  auto* init_cmd = app.add_subcommand("init", "scaffold a migrations directory and migtest.toml");
  auto dir = std::make_shared<std::string>("migrations");
  auto url = std::make_shared<std::string>("sqlite:///app.db");
  init_cmd->add_option("directory", *dir, "where to create it")->capture_default_str();
  init_cmd->add_option("--database-url", *url, "url written to migtest.toml")->capture_default_str();
  init_cmd->callback([dir, url] { init(*dir, *url); });

  auto* rev = app.add_subcommand("revision", "create a new revision file");
  auto message = std::make_shared<std::string>();
  auto head = std::make_shared<std::string>();
  auto irreversible = std::make_shared<bool>(false);
  rev->add_option("-m,--message", *message, "what the revision does")->required();
  rev->add_option("--head", *head, "the revision to build on when the history has several heads");
  rev->add_flag("--irreversible", *irreversible, "write a revision without a down section");
  rev->callback([&ctx, message, head, irreversible] {
    Config c = ctx.config();
    if (c.migrations.empty()) {
      throw usage_error("no migrations directory: pass --migrations DIR or run migtest init");
    }
    if (!fs::is_directory(c.migrations)) {
      throw usage_error(fmt::format("migrations directory '{}' does not exist (run migtest init)", c.migrations));
    }
    History h = load_history(c.migrations);
    if (h.layout() != "migtest" && !h.scripts().empty()) {
      throw usage_error(fmt::format("'{}' holds a {} history: write its revisions with {}'s own tool",
                                    c.migrations, h.layout(), h.layout()));
    }
    Revision r;
    r.id = new_revision_id();
    r.message = *message;
    r.created = utc_now();
    if (!head->empty()) {
      r.down_revisions = {h.graph().get(*head).id};
    } else {
      r.down_revisions = h.graph().heads();
      if (r.down_revisions.size() > 1) {
        std::string list;
        for (const auto& id : r.down_revisions) list += (list.empty() ? "" : ", ") + id;
        throw multiple_heads_error(fmt::format(
            "multiple heads: {}; name one with --head, or write a merge revision", list));
      }
    }
    r.reversible = !*irreversible;
    std::string path = write_revision_file(c.migrations, r, "", *irreversible ? "" : "-- the exact inverse of up\n");
    std::cout << path << "\n";
    std::cerr << fmt::format("Generated {} ({}): write its SQL under -- migrate:up and -- migrate:down\n",
                             r.id, r.message);
  });
}

}  // namespace migtest::cli
