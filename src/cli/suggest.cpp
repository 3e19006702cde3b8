// What the command line says when a command word is unknown: the word, and the nearest command.
#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "cli/reference.hpp"
#include "edit_distance.hpp"

namespace migtest::cli {

std::string nearest(std::string_view word, const std::vector<std::string>& candidates) {
  std::vector<std::string> prefixed;
  for (const auto& c : candidates) {
    if (word.size() >= 2 && c.compare(0, word.size(), word) == 0) prefixed.push_back(c);
  }
  if (prefixed.size() == 1) return prefixed.front();
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    const std::size_t d = detail::edit_distance(word, c);
    if (d < best_distance) best = c, best_distance = d;
  }
  return best;
}

std::string unknown_command_message(const CLI::App& app, const std::string& program) {
  const CLI::App* at = &app;
  while (!at->get_subcommands().empty()) at = at->get_subcommands().front();
  std::vector<std::string> names;
  for (const CLI::App* sub :
       at->get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); })) {
    names.push_back(sub->get_name());
  }
  if (names.empty()) return "";
  // With fallthrough, what no command took is left on the top level.
  std::string word;
  for (const auto& arg : app.remaining(true)) {
    if (!arg.empty() && arg[0] != '-') {
      word = arg;
      break;
    }
  }
  if (word.empty()) return "";
  std::string path = at == &app ? "" : at->get_name() + " ";
  std::string guess = nearest(word, names);
  return fmt::format("unknown {}command '{}'{} (`{} {}--help` lists them)", path, word,
                     guess.empty() ? "" : fmt::format(": did you mean '{}'?", guess), program,
                     path);
}

}  // namespace migtest::cli
