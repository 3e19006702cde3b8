// cache list, prune, clear: what testdb keeps across runs (templates, pool databases,
// verification results, reset states) in the cache directory and on the PostgreSQL server.
#include <fmt/format.h>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "migtest/testdb.hpp"
#include "migtest/url.hpp"
#include "testdb/cache.hpp"

namespace migtest::cli {

namespace {

struct CacheArgs {
  std::string cache_dir;
  std::string older_than;
};

// Where the cache is: --cache-dir or the default directory, and the configured URL's server
// when it is PostgreSQL, else MIGTEST_POSTGRES_URL's (where fixtures keep their templates).
struct Where {
  std::string directory, server;
  std::string describe() const {
    return server.empty() ? directory : fmt::format("{} and {}", directory, redact(server));
  }
};

Where where(const Context& ctx, const CacheArgs& args) {
  Where w;
  w.directory = boost::filesystem::absolute(args.cache_dir.empty() ? default_cache_directory()
                                                                   : args.cache_dir)
                    .lexically_normal()
                    .string();
  const std::string url = ctx.config().url;
  w.server =
      !url.empty() && parse_url(url).dialect == Dialect::postgresql ? url : default_postgres_url();
  return w;
}

std::vector<std::string> columns(const CacheEntry& e) {
  return {to_string(e.kind),
          boost::filesystem::path(e.name).filename().string(),
          e.backend ? to_string(*e.backend) : "-",
          detail::human_size(e.size),
          detail::format_last_used(e),
          e.in_use ? "yes" : "no"};
}

// Rows in aligned columns (two spaces apart) on stdout.
void print_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& row : rows) {
    width.resize(std::max(width.size(), row.size()));
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += i + 1 == row.size() ? row[i] : fmt::format("{:<{}}  ", row[i], width[i]);
    }
    std::cout << line << "\n";
  }
}

std::string entries(std::size_t n) { return fmt::format("{} entr{}", n, n == 1 ? "y" : "ies"); }

std::uint64_t total_size(const std::vector<CacheEntry>& list) {
  std::uint64_t bytes = 0;
  for (const auto& e : list) bytes += e.size;
  return bytes;
}

void list(const Context& ctx, const CacheArgs& args) {
  const Where w = where(ctx, args);
  const auto cached = list_cache(w.directory, w.server);
  if (cached.empty()) {
    std::cerr << "nothing cached in " << w.describe() << "\n";
    return;
  }
  std::vector<std::vector<std::string>> rows{
      {"KIND", "NAME", "BACKEND", "SIZE", "LAST USED (UTC)", "IN USE"}};
  for (const auto& e : cached) rows.push_back(columns(e));
  print_table(rows);
  const auto in_use = std::count_if(cached.begin(), cached.end(), [](auto& e) { return e.in_use; });
  std::cerr << fmt::format("{}, {}, {} in use, in {}\n", entries(cached.size()),
                           detail::human_size(total_size(cached)), in_use, w.describe());
}

// What prune or clear did: removed and kept entries on stdout, errors and a summary on stderr.
void print_cleanup(Context& ctx, const CacheCleanup& r, const Where& w) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : r.removed) {
    rows.push_back(columns(e));
    rows.back().insert(rows.back().begin(), "removed");
    rows.back().pop_back();  // "in use": no
  }
  for (const auto& e : r.kept_in_use) {
    rows.push_back(columns(e));
    rows.back().insert(rows.back().begin(), "kept");
    rows.back().back() = "in use";
  }
  print_table(rows);
  for (const auto& e : r.errors) std::cerr << style("error: ", kRed) << redact(e) << "\n";
  if (!r.errors.empty()) ctx.exit_code = 1;
  std::cerr << fmt::format("removed {} ({}) from {}", entries(r.removed.size()),
                           detail::human_size(total_size(r.removed)), w.describe());
  if (!r.kept_in_use.empty()) std::cerr << fmt::format("; kept {} in use", r.kept_in_use.size());
  std::cerr << "\n";
}

std::chrono::seconds prune_age(const CacheArgs& args) {
  if (args.older_than.empty()) {
    const auto age = cache_max_age();
    if (age.count() == 0) {
      throw usage_error(
          "MIGTEST_CACHE_MAX_AGE=0 turns pruning off: pass --older-than AGE (e.g. 7d), or use "
          "'migtest cache clear'");
    }
    return age;
  }
  std::chrono::seconds age{};
  try {
    age = parse_age(args.older_than);
  } catch (const config_error& e) {
    throw usage_error(fmt::format("--older-than: {}", e.what()),
                      error_fields::caused_by(std::current_exception()));
  }
  if (age.count() == 0) {
    throw usage_error("--older-than: use 'migtest cache clear' to remove every entry");
  }
  return age;
}

}  // namespace

void add_cache_commands(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<CacheArgs>();
  auto* cache = app.add_subcommand(
      "cache",
      "list, prune or clear what tests keep across runs: templates, pool databases, "
      "verification results and reset states");
  cache->require_subcommand(1);
  cache->fallthrough();  // `cache list --url URL`: the global option after the subcommand
  const auto cache_dir = [&args](CLI::App* cmd) {
    cmd->add_option("--cache-dir", args->cache_dir,
                    "the cache directory (default: MIGTEST_CACHE_DIR, else "
                    "<MIGTEST_TMPDIR>/templates)");
  };

  auto* list_cmd = cache->add_subcommand(
      "list",
      "list cached templates, pool databases, verification results and reset states on stdout");
  cache_dir(list_cmd);
  list_cmd->callback([&ctx, args] { list(ctx, *args); });

  auto* prune = cache->add_subcommand("prune", "remove what has not been used for a while");
  cache_dir(prune);
  prune->add_option("--older-than", args->older_than,
                    "remove what was last used longer ago than this: 12h, 7d, 2w ... (default: "
                    "MIGTEST_CACHE_MAX_AGE, else 7d)");
  prune->callback([&ctx, args] {
    const auto age = prune_age(*args);
    const Where w = where(ctx, *args);
    print_cleanup(ctx, prune_cache(age, w.directory, w.server), w);
  });

  auto* clear = cache->add_subcommand("clear", "remove everything cached that is not in use");
  cache_dir(clear);
  clear->callback([&ctx, args] {
    const Where w = where(ctx, *args);
    print_cleanup(ctx, clear_cache(w.directory, w.server), w);
  });
}

}  // namespace migtest::cli
