// The CLI's shared context and the registration of each group of commands. Internal.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cli/config.hpp"
#include "json.hpp"
#include "migtest/connection.hpp"
#include "migtest/diff.hpp"
#include "migtest/metadata.hpp"
#include "migtest/registry.hpp"
#include "migtest/schema.hpp"
#include "migtest/source.hpp"
#include "migtest/url.hpp"
#include "migtest/verify.hpp"

namespace migtest::cli {

/// What every command needs; filled by the global options before a command runs.
struct Context {
  Overrides overrides;
  const Registry* registry = nullptr;
  const Metadata* models = nullptr;  // the project's models, when its own binary gives them
  bool verbose = false;
  int exit_code = 0;

  Config config() const { return load_config(overrides); }
  /// The configured history (files and C++ revisions); usage_error when none is configured.
  History history() const;
  /// The configured database, opened to write (a SQLite file is created when missing);
  /// usage_error when no URL is configured.
  std::unique_ptr<Connection> connect() const;
  /// The configured database, opened to read only: nothing is created, and nullptr stands
  /// for a SQLite file that does not exist (a database at base).
  std::unique_ptr<Connection> connect_to_read() const;
  /// True when the configured database is a SQLite file that does not exist yet: commands
  /// that would write nothing to it must not create it.
  bool database_missing() const;
};

/// `url` opened to read only: nothing is created (connection_error for a SQLite file that
/// does not exist); usage_error for an empty URL.
std::unique_ptr<Connection> open_to_read(const std::string& url);

/// The dialect of a configured URL; SQLite when none is configured (commands then work on a
/// SQLite file of their own).
Dialect dialect_of_url(const std::string& url);
/// The dialect a --dialect word names when it is spelled as to_string(Dialect) spells it
/// (sqlite, postgresql: the words the CLI has always taken); nullopt for any other word.
std::optional<Dialect> exact_dialect(std::string_view word);

/// `--format text|json` on `cmd`, into `format` ("text" by default).
void add_format_option(CLI::App* cmd, std::string& format);

/// One revision by id, unique prefix, head (the only one) or LABEL@head (the branch's own
/// head): its full id. multiple_heads_error when the name stands for several.
std::string resolve_revision(const History& h, const std::string& name);

/// Alembic's block for one revision: Rev, Parent, labels, Path, message (show, current -v).
std::string revision_block(const Revision& r);
/// One revision's members in an open JSON object (history, heads, show, graph):
/// docs/reference/json.md.
void write_revision_members(detail::JsonWriter& w, const History& h, const Revision& r);

/// JSON documents on stdout (docs/reference/json.md): check and diff, schema, verify.
void write_difference_json(detail::JsonWriter& w, const Difference& d,
                           std::string_view actual_label, std::string_view expected_label);
void print_differences_json(const std::vector<Difference>& diffs, std::string_view actual_label,
                            std::string_view expected_label);
void print_schema_json(const Schema& schema);
void print_verify_json(const VerifyReport& report);

/// stderr styling: colour only when stderr is a terminal (and NO_COLOR is unset).
std::string style(const std::string& text, const char* ansi);
inline constexpr const char* kRed = "31";
inline constexpr const char* kGreen = "32";
inline constexpr const char* kYellow = "33";
inline constexpr const char* kBold = "1";

// clang-format off
void add_scaffold_commands(CLI::App& app, Context& ctx);  // init, revision
void add_migrate_commands(CLI::App& app, Context& ctx);   // upgrade, downgrade, stamp, current
void add_integrity_commands(CLI::App& app, Context& ctx); // validate, repair
void add_history_commands(CLI::App& app, Context& ctx);   // history, heads, show
void add_verify_command(CLI::App& app, Context& ctx);     // verify
void add_lint_command(CLI::App& app, Context& ctx);       // lint
void add_schema_commands(CLI::App& app, Context& ctx);    // check, diff, schema
void add_cache_commands(CLI::App& app, Context& ctx);     // cache list, prune, clear

void add_graph_command(CLI::App& app, Context& ctx);      // graph
// (scaffold also adds merge and edit; migrate ensure_version; history branches)
// clang-format on

}  // namespace migtest::cli
