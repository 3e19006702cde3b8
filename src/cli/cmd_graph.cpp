// graph: the revision graph as a picture (Graphviz DOT or Mermaid), with branches, merges,
// labels and heads, and what the database has applied when a URL is configured.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <set>

#include "cli/commands.hpp"
#include "migtest/runner.hpp"
#include "sql_quote.hpp"

namespace migtest::cli {

namespace {

struct Marks {
  std::set<std::string> heads, applied;
};

// The label of a node: id, message, labels; `newline` is the format's line break.
std::string label(const Revision& r, const char* newline) {
  std::string out = r.id;
  if (!r.message.empty()) out += newline + r.message;
  if (!r.branch_labels.empty())
    out += fmt::format("{}({})", newline, fmt::join(r.branch_labels, ", "));
  return out;
}

std::string dot_quote(const std::string& text) { return detail::c_string_literal(text); }

void write_dot(const History& h, const Marks& m) {
  std::cout << "digraph migtest {\n  rankdir=BT;\n  node [shape=box, style=rounded, "
               "fontname=\"monospace\"];\n";
  for (const auto& r : h.graph().revisions()) {
    std::vector<std::string> attrs{"label=" + dot_quote(label(r, "\n"))};
    std::string style = "rounded";
    if (m.heads.count(r.id)) attrs.push_back("peripheries=2");
    if (m.applied.count(r.id)) style += ",filled", attrs.push_back("fillcolor=\"#c8e6c9\"");
    if (r.down_revisions.size() > 1) attrs.push_back("shape=diamond");
    attrs.push_back("style=\"" + style + "\"");
    std::cout << fmt::format("  {} [{}];\n", dot_quote(r.id), fmt::join(attrs, ", "));
  }
  for (const auto& r : h.graph().revisions()) {
    for (const auto& p : r.down_revisions)
      std::cout << fmt::format("  {} -> {};\n", dot_quote(p), dot_quote(r.id));
    for (const auto& d : r.depends_on) {
      std::cout << fmt::format("  {} -> {} [style=dashed, label=\"depends on\"];\n", dot_quote(d),
                               dot_quote(r.id));
    }
  }
  std::cout << "}\n";
}

// Mermaid node ids are words: "r" and the id's letters and digits, anything else as "_".
std::string mermaid_id(const std::string& id) {
  std::string out = "r";
  for (char c : id) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

std::string mermaid_text(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '"')
      out += "#quot;";
    else if (c == '<')
      out += "#lt;";
    else if (c == '>')
      out += "#gt;";
    else
      out += c;
  }
  return out;
}

void write_mermaid(const History& h, const Marks& m) {
  std::cout << "flowchart BT\n";
  for (const auto& r : h.graph().revisions()) {
    std::string text = mermaid_text(label(r, "\n"));
    std::string::size_type at;
    while ((at = text.find('\n')) != std::string::npos) text.replace(at, 1, "<br/>");
    const bool merge = r.down_revisions.size() > 1;
    std::cout << fmt::format("  {}{}\"{}\"{}\n", mermaid_id(r.id), merge ? "{{" : "[", text,
                             merge ? "}}" : "]");
  }
  for (const auto& r : h.graph().revisions()) {
    for (const auto& p : r.down_revisions)
      std::cout << fmt::format("  {} --> {}\n", mermaid_id(p), mermaid_id(r.id));
    for (const auto& d : r.depends_on) {
      std::cout << fmt::format("  {} -. depends on .-> {}\n", mermaid_id(d), mermaid_id(r.id));
    }
  }
  auto classes = [](const std::set<std::string>& ids, const char* name) {
    if (ids.empty()) return;
    std::vector<std::string> names;
    for (const auto& id : ids) names.push_back(mermaid_id(id));
    std::cout << fmt::format("  class {} {}\n", fmt::join(names, ","), name);
  };
  std::cout << "  classDef head stroke-width:3px\n  classDef applied fill:#c8e6c9\n";
  classes(m.heads, "head");
  classes(m.applied, "applied");
}

Marks marks(const Context& ctx, const History& h) {
  Marks m;
  auto heads = h.graph().heads();
  m.heads.insert(heads.begin(), heads.end());
  Config c = ctx.config();
  if (c.url.empty()) return m;
  auto conn = ctx.connect_to_read();
  if (!conn) return m;  // a SQLite file not there yet: nothing applied
  History none;
  RunOptions o;
  o.version_table = c.version_table;
  Runner runner(*conn, none, o);
  for (const auto& id : h.graph().applied(runner.current())) m.applied.insert(id);
  return m;
}

}  // namespace

void add_graph_command(CLI::App& app, Context& ctx) {
  auto* graph = app.add_subcommand("graph",
                                   "draw the revision graph (DOT or Mermaid): merges, labels, "
                                   "heads; applied revisions when a URL is configured");
  auto format = std::make_shared<std::string>("dot");
  graph->add_option("--format", *format, "dot (Graphviz) or mermaid")
      ->check(CLI::IsMember({"dot", "mermaid"}))
      ->capture_default_str();
  graph->callback([&ctx, format] {
    History h = ctx.history();
    Marks m = marks(ctx, h);
    if (*format == "mermaid") return write_mermaid(h, m);
    write_dot(h, m);
  });
}

}  // namespace migtest::cli
