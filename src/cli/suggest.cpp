// What the command line says when a command word is unknown: the word, and the nearest command.
#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "cli/reference.hpp"

namespace migtest::cli {

namespace {

// Edit distance counting a swap of two neighbours as one edit ("histroy" is one from
// "history"): the typing mistakes people make.
std::size_t distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::string nearest(std::string_view word, const std::vector<std::string>& candidates) {
  std::vector<std::string> prefixed;
  for (const auto& c : candidates) {
    if (word.size() >= 2 && c.compare(0, word.size(), word) == 0) prefixed.push_back(c);
  }
  if (prefixed.size() == 1) return prefixed.front();
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    const std::size_t d = distance(word, c);
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
