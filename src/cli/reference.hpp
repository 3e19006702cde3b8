// What the CLI says about itself, generated from its CLI11 definition so that it cannot drift
// from it: the suggestion for an unknown command, the reference page (docs/reference/cli.md),
// the man page, bash and zsh completion. Internal.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.hpp"

namespace migtest::cli {

/// The closest of `candidates` to a mistyped `word` (a unique prefix, else the smallest edit
/// distance within a third of its length), "" when none is close.
std::string nearest(std::string_view word, const std::vector<std::string>& candidates);
/// After a parse error: "unknown command 'histroy': did you mean 'history'? (...)" when a word
/// stood where a command was expected, else "".
std::string unknown_command_message(const CLI::App& app, const std::string& program);

/// The command reference in Markdown: what docs/reference/cli.md holds between its markers.
std::string markdown_reference(const CLI::App& app);
/// A man page (roff, man(7) macros).
std::string man_page(const CLI::App& app);
/// Completion scripts for `program` (the command's name as the shell sees it).
std::string bash_completion(const CLI::App& app, const std::string& program);
std::string zsh_completion(const CLI::App& app, const std::string& program);

/// `completion bash|zsh`, and the hidden `docs markdown|man` that generates the pages.
void add_reference_commands(CLI::App& app, Context& ctx);

}  // namespace migtest::cli
