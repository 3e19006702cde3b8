// The project's JSON writer, read back by the tests' strict reader.
#include "json.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>

#include "support/json.hpp"

namespace migtest::detail {
namespace {

using test::parse_json;

TEST(JsonWriter, NestedDocumentReadsBack) {
  JsonWriter w;
  w.begin_object()
      .field("id", "a1b2")
      .field("count", 3)
      .field("size", std::size_t{42})
      .field("ratio", 0.25)
      .field("ok", true)
      .field_or_null("file", "")
      .field("parents", std::vector<std::string>{"p1", "p2"})
      .key("empty")
      .begin_array()
      .end_array()
      .key("nested")
      .begin_array()
      .begin_object()
      .end_object()
      .null()
      .end_array()
      .end_object();
  const test::Json doc = parse_json(w.str());
  EXPECT_EQ(doc["id"].str(), "a1b2");
  EXPECT_EQ(doc["count"].number(), 3);
  EXPECT_EQ(doc["size"].number(), 42);
  EXPECT_EQ(doc["ratio"].number(), 0.25);
  EXPECT_TRUE(doc["ok"].boolean());
  EXPECT_TRUE(doc["file"].is_null());
  EXPECT_EQ(doc["parents"].strings(), (std::vector<std::string>{"p1", "p2"}));
  EXPECT_EQ(doc["empty"].size(), 0u);
  EXPECT_EQ(doc["nested"][0].size(), 0u);
  EXPECT_TRUE(doc["nested"][1].is_null());
  // Member order is kept: consumers that diff two outputs see stable text.
  EXPECT_EQ(doc.members().front().first, "id");
  EXPECT_EQ(doc.members().back().first, "nested");
}

TEST(JsonWriter, PrettyAndCompactForms) {
  JsonWriter pretty;
  pretty.begin_object().field("a", std::vector<std::string>{"x"}).field("b", 1).end_object();
  EXPECT_EQ(pretty.str(), "{\n  \"a\": [\n    \"x\"\n  ],\n  \"b\": 1\n}");
  JsonWriter compact(0);
  compact.begin_array().value(1).value("two").begin_object().end_object().end_array();
  EXPECT_EQ(compact.str(), "[1,\"two\",{}]");
}

TEST(JsonWriter, StringsAreEscapedAndAlwaysValidUtf8) {
  const std::string nasty = std::string("quote \" backslash \\ tab \t nl \n cr \r nul ") +
                            std::string(1, '\0') + " bell \x07 del \x7f é 😀";
  JsonWriter w;
  w.value(nasty);
  EXPECT_EQ(parse_json(w.str()).str(), nasty);

  // Invalid UTF-8 (a lone continuation byte, a truncated sequence, an overlong '/', a
  // surrogate) reads back as U+FFFD instead of breaking the document.
  const std::string bad =
      "a\x80"
      "b\xc3"
      "c\xc0\xaf"
      "d\xed\xa0\x80";
  const std::string r = "\xef\xbf\xbd";  // U+FFFD, one per byte that starts no valid sequence
  EXPECT_EQ(parse_json(json_string(bad)).str(), "a" + r + "b" + r + "c" + r + r + "d" + r + r + r);
}

TEST(JsonWriter, NonFiniteNumbersAreNull) {
  JsonWriter w;
  w.begin_array().value(std::numeric_limits<double>::infinity()).value(std::nan("")).end_array();
  const auto doc = parse_json(w.str());
  EXPECT_TRUE(doc[0].is_null());
  EXPECT_TRUE(doc[1].is_null());
}

TEST(JsonWriter, MisuseIsALogicError) {
  EXPECT_THROW(JsonWriter().begin_object().value(1), std::logic_error);  // no key
  EXPECT_THROW(JsonWriter().begin_array().key("k"), std::logic_error);   // key in array
  EXPECT_THROW(JsonWriter().begin_array().end_object(), std::logic_error);
  EXPECT_THROW(JsonWriter().begin_object().key("k").end_object(), std::logic_error);
  EXPECT_THROW(JsonWriter().begin_array().str(), std::logic_error);  // unfinished
  EXPECT_THROW(JsonWriter().value(1).value(2), std::logic_error);    // two documents
}

TEST(JsonReader, RefusesWhatIsNotJson) {
  for (const char* bad : {"", "{", "[1,]", "{\"a\":1,}", "01", "1.", "'x'", "\"\\x\"", "[1] 2",
                          "\"\x01\"", "nul", "{a:1}", "\"\\ud800\""}) {
    EXPECT_THROW(parse_json(bad), std::runtime_error) << bad;
  }
  EXPECT_EQ(parse_json(" \"\\u00e9\\ud83d\\ude00\" ").str(), "é😀");
}

}  // namespace
}  // namespace migtest::detail
