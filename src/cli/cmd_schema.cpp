// check, diff, schema: the reflected schema, compared with the models or another database.
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "migtest/dialect.hpp"
#include "migtest/diff.hpp"
#include "migtest/runner.hpp"
#include "migtest/url.hpp"
#include "testdb/scratch.hpp"

namespace migtest::cli {

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw usage_error(fmt::format("cannot read schema file '{}'", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

ReflectOptions reflect_options(const Config& c) {
  ReflectOptions o;
  o.exclude_tables = {c.version_table};
  o.schemas = c.schemas;
  return o;
}

// What check reads: the schemas setting, and the schemas the models put objects in.
ReflectOptions check_options(const Context& ctx, const Config& c) {
  ReflectOptions o = reflect_options(c);
  if (o.schemas.empty()) o.schemas.push_back("");
  auto add = [&](const std::string& s) {
    const std::string name = s == "public" ? "" : s;
    if (std::find(o.schemas.begin(), o.schemas.end(), name) == o.schemas.end())
      o.schemas.push_back(name);
  };
  if (ctx.models) {
    for (const auto& t : ctx.models->tables()) add(t.schema);
    for (const auto& v : ctx.models->views()) add(v.schema);
    for (const auto& e : ctx.models->enums()) add(e.schema);
  }
  return o;
}

// The expected schema: the project's models, built by the server of `judge` (the database
// compared, PostgreSQL), or a declared schema file applied to a scratch database of the
// same dialect and reflected.
Schema expected(const Context& ctx, const std::string& schema_file, Connection& judge,
                const std::string& server_url, const ReflectOptions& options) {
  const Dialect dialect = judge.dialect();
  if (!schema_file.empty()) {
    detail::ScratchDatabase scratch(dialect == Dialect::sqlite ? "" : server_url, "check");
    try {
      scratch.connection().execute_script(read_file(schema_file));
    } catch (const database_error& e) {
      throw usage_error(fmt::format("schema file '{}' does not apply: {}", schema_file, e.what()));
    }
    return reflect(scratch.connection(), options);
  }
  if (ctx.models) return expected_schema(*ctx.models, judge);
  throw usage_error(
      "no models to check against: pass --schema FILE.sql, or build your own migtest command "
      "with migtest::cli::main(argc, argv, registry, models)");
}

struct CheckArgs {
  std::string schema_file;
  std::vector<std::string> ignore;
  bool live = false;
  std::string format;
};

// The schema compared (the configured database as it is, or a scratch database of its
// backend, SQLite when none, upgraded to head) and the schema expected.
std::pair<Schema, Schema> check_schemas(Context& ctx, const CheckArgs& args, const Config& c,
                                        const ReflectOptions& ro_read) {
  if (args.live) {
    auto conn = open_to_read(c.url);
    Schema actual = reflect(*conn, ro_read);
    return {std::move(actual), expected(ctx, args.schema_file, *conn, c.url, ro_read)};
  }
  History h = ctx.history();
  detail::ScratchDatabase scratch(dialect_of_url(c.url) == Dialect::postgresql ? c.url : "",
                                  "check");
  RunOptions ro;
  ro.version_table = c.version_table;
  Runner(scratch.connection(), h, ro).upgrade("heads");
  Schema actual = reflect(scratch.connection(), ro_read);
  return {std::move(actual), expected(ctx, args.schema_file, scratch.connection(), c.url, ro_read)};
}

void run_check(Context& ctx, const CheckArgs& args) {
  Config c = ctx.config();
  CompareOptions options;
  options.ignore_tables = args.ignore;
  const auto [actual, want] = check_schemas(ctx, args, c, check_options(ctx, c));
  auto diffs = compare(actual, want, options);
  if (args.format == "json") {
    print_differences_json(diffs, options.actual_label, options.expected_label);
    if (!diffs.empty()) ctx.exit_code = 1;
    return;
  }
  if (diffs.empty()) {
    std::cerr << style("No differences", kGreen) << ": the schema matches the models\n";
    return;
  }
  std::cout << render(diffs, options);
  std::cerr << style(fmt::format("{} difference{}", diffs.size(), diffs.size() == 1 ? "" : "s"),
                     kRed)
            << " between the database and the models\n";
  ctx.exit_code = 1;
}

void add_check_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<CheckArgs>();
  auto* check = app.add_subcommand(
      "check",
      "compare the schema at head with the models; exit 1 and print the diff when they differ");
  check->add_option("--schema", args->schema_file,
                    "a declared schema (.sql) to compare with, instead of models");
  check->add_option("--ignore", args->ignore, "table name patterns to leave out (*, ?)");
  check->add_flag(
      "--live", args->live,
      "compare the configured database as it is, instead of a scratch database upgraded to head");
  add_format_option(check, args->format);
  check->callback([&ctx, args] { run_check(ctx, *args); });
}

void add_diff_command(CLI::App& app, Context& ctx) {
  auto urls = std::make_shared<std::vector<std::string>>();
  auto* diff = app.add_subcommand("diff", "compare the schemas of two databases");
  diff->add_option("urls", *urls, "URL_A URL_B")->expected(2)->required();
  auto diff_format = std::make_shared<std::string>();
  add_format_option(diff, *diff_format);
  diff->callback([&ctx, urls, diff_format] {
    auto a = open_to_read((*urls)[0]);
    auto b = open_to_read((*urls)[1]);
    Config c = ctx.config();
    CompareOptions options;
    options.actual_label = "a";
    options.expected_label = "b";
    options.strict_names = true;
    auto diffs = compare(reflect(*a, reflect_options(c)), reflect(*b, reflect_options(c)), options);
    if (*diff_format == "json") {
      print_differences_json(diffs, options.actual_label, options.expected_label);
      if (!diffs.empty()) ctx.exit_code = 1;
      return;
    }
    if (diffs.empty()) {
      std::cerr << "No differences\n";
      return;
    }
    std::cout << render(diffs, options);
    ctx.exit_code = 1;
  });
}

void add_print_schema_command(CLI::App& app, Context& ctx) {
  auto url = std::make_shared<std::string>();
  auto* schema = app.add_subcommand("schema", "print the reflected schema of a database");
  schema->add_option("url", *url, "database URL (default: the configured one)");
  auto schema_format = std::make_shared<std::string>();
  add_format_option(schema, *schema_format);
  schema->callback([&ctx, url, schema_format] {
    Config c = ctx.config();
    auto conn = open_to_read(url->empty() ? c.url : *url);
    Schema s = reflect(*conn, reflect_options(c));
    if (*schema_format == "json") return print_schema_json(s);
    std::cout << to_string(s);
  });
}

}  // namespace

void add_schema_commands(CLI::App& app, Context& ctx) {
  add_check_command(app, ctx);
  add_diff_command(app, ctx);
  add_print_schema_command(app, ctx);
}

}  // namespace migtest::cli
