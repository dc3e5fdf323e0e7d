#include "mentorlog/domain/csv.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace mentorlog::core {
namespace {

using Cells = std::vector<std::string>;

CsvTable ParseOk(std::string_view bytes, std::string_view file_name = "test.csv") {
  Result<CsvTable> table = ParseCsv(bytes, file_name);
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  return table.ok() ? std::move(table).value() : CsvTable{};
}

std::string ToCp1251(std::string_view utf8) {
  Result<std::string> bytes = Utf8ToWindows1251(utf8);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? std::move(bytes).value() : std::string();
}

// [SECTION] Encodings --------------------------------------------------------------------------

TEST(CsvTest, Utf8WithoutBom) {
  const CsvTable table = ParseOk("Код ОО,Название\n101,Школа № 1\n");
  EXPECT_EQ(table.encoding, TextEncoding::kUtf8);
  EXPECT_EQ(table.separator, ',');
  EXPECT_EQ(table.header, (Cells{"Код ОО", "Название"}));
  ASSERT_EQ(table.rows.size(), 1u);
  EXPECT_EQ(table.rows[0].line, 2);
  EXPECT_EQ(table.rows[0].cells, (Cells{"101", "Школа № 1"}));
}

TEST(CsvTest, Utf8WithBomDropsTheBom) {
  const CsvTable table = ParseOk("\xEF\xBB\xBF\"Код ОО\";Район\r\n101;Центральный\r\n");
  EXPECT_EQ(table.encoding, TextEncoding::kUtf8);
  EXPECT_EQ(table.separator, ';');
  EXPECT_EQ(table.header, (Cells{"Код ОО", "Район"}));
  ASSERT_EQ(table.rows.size(), 1u);
  EXPECT_EQ(table.rows[0].cells, (Cells{"101", "Центральный"}));
}

TEST(CsvTest, Windows1251FileParsesBackToTheSameText) {
  const std::string utf8 =
      "Код ОО;Название;Примечание\n"
      "101;МБОУ «Школа № 5»;Ёлки — ёжики\n"
      "102;\"Лицей «Ступени»; корпус 2\";ЁЖ ёж € №\n";
  const std::string bytes = ToCp1251(utf8);
  EXPECT_FALSE(IsValidUtf8(bytes));
  const CsvTable table = ParseOk(bytes);
  EXPECT_EQ(table.encoding, TextEncoding::kWindows1251);
  EXPECT_EQ(table.separator, ';');
  EXPECT_EQ(table.header, (Cells{"Код ОО", "Название", "Примечание"}));
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.rows[0].cells, (Cells{"101", "МБОУ «Школа № 5»", "Ёлки — ёжики"}));
  EXPECT_EQ(table.rows[1].cells, (Cells{"102", "Лицей «Ступени»; корпус 2", "ЁЖ ёж € №"}));
  EXPECT_EQ(Windows1251ToUtf8(bytes), utf8);
}

TEST(CsvTest, Windows1251KnownCodes) {
  EXPECT_EQ(ToCp1251("«»№—Ёё"), "\xAB\xBB\xB9\x97\xA8\xB8");
  EXPECT_EQ(ToCp1251("АЯаяЇїҐґ€…\xC2\xA0"), "\xC0\xDF\xE0\xFF\xAF\xBF\xA5\xB4\x88\x85\xA0");
  EXPECT_EQ(Windows1251ToUtf8("\xC0\xE1\xE2 \xB9 \x96"), "Абв № –");
}

TEST(CsvTest, Windows1251EveryByteRoundTrips) {
  std::string all_bytes;
  for (int b = 0; b < 256; ++b) all_bytes.push_back(static_cast<char>(b));
  const std::string utf8 = Windows1251ToUtf8(all_bytes);
  EXPECT_TRUE(IsValidUtf8(utf8));
  EXPECT_EQ(ToCp1251(utf8), all_bytes);
}

TEST(CsvTest, Utf8ToWindows1251RejectsEmojiAndChinese) {
  const Result<std::string> emoji = Utf8ToWindows1251("Отлично 😀!");
  ASSERT_FALSE(emoji.ok());
  EXPECT_EQ(emoji.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(emoji.status().message().find("«😀»"), std::string::npos) << emoji.status().message();
  EXPECT_NE(emoji.status().message().find("U+1F600"), std::string::npos);

  const Result<std::string> chinese = Utf8ToWindows1251("школа 中");
  ASSERT_FALSE(chinese.ok());
  EXPECT_NE(chinese.status().message().find("U+4E2D"), std::string::npos);

  const Result<std::string> broken = Utf8ToWindows1251("ab\xFF");
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.status().message().find("0xFF at offset 2"), std::string::npos);
}

TEST(CsvTest, IsValidUtf8IsStrict) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("Ёж 中 😀"));
  EXPECT_FALSE(IsValidUtf8("\xC0\x80"));          // Overlong NUL.
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // Overlong '/'.
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // Surrogate.
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // Above U+10FFFF.
  EXPECT_FALSE(IsValidUtf8("\xD0"));              // Truncated.
  EXPECT_FALSE(IsValidUtf8("\x80"));              // Lone continuation.
  EXPECT_FALSE(IsValidUtf8("\xC0\xE0"));          // "Аа" in cp1251.
}

TEST(CsvTest, BomFollowedByInvalidUtf8IsAnInputErrorNamingTheLine) {
  const Result<CsvTable> table = ParseCsv("\uFEFFa;b\n\xC0\xE0;1\n", "list.csv");
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(table.status().message().find("list.csv, line 2: this line is not in UTF-8"), std::string::npos)
      << table.status().message();
}

// Issue 13: rows pasted from a file in the other encoding were read as Windows-1251 and garbled.
TEST(CsvTest, RowsThatMixEncodingsAreRefusedNamingTheFirstOddLine) {
  // Windows-1251 first ("Код;Имя" and a row), then a UTF-8 row.
  const std::string cp1251_then_utf8 = "\xCA\xEE\xE4;\xC8\xEC\xFF\r\n1;\xC0\xED\xED\xE0\r\n2;x\r\n3;Мария\r\n";
  const Result<CsvTable> a = ParseCsv(cp1251_then_utf8, "people.csv");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(a.status().message().find("people.csv, line 4: this line is in UTF-8, but line 1 is in Windows-1251"),
            std::string::npos)
      << a.status().message();
  EXPECT_NE(a.status().message().find("CSV UTF-8"), std::string::npos) << a.status().message();

  // UTF-8 first, then a Windows-1251 row (after a quoted cell that spans lines).
  const std::string utf8_then_cp1251 = "code;name\n1;\"Анна\nПетровна\"\n2;Olga\n3;\xC0\xED\xED\xE0\n";
  const Result<CsvTable> b = ParseCsv(utf8_then_cp1251, "people.csv");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(b.status().message().find("people.csv, line 5: this line is not in UTF-8, but line 2 is in UTF-8"),
            std::string::npos)
      << b.status().message();

  // One encoding throughout still reads, either one.
  const Result<CsvTable> cp1251 = ParseCsv("\xCA\xEE\xE4;\xC8\xEC\xFF\r\n1;\xC0\xED\xED\xE0\r\n", "p.csv");
  ASSERT_TRUE(cp1251.ok()) << cp1251.status().ToString();
  EXPECT_EQ(cp1251->encoding, TextEncoding::kWindows1251);
  EXPECT_EQ(cp1251->rows[0].cells[1], "Анна");
}

TEST(CsvTest, RejectsFilesThatAreNotCsvText) {
  const Result<CsvTable> xlsx = ParseCsv(std::string_view("PK\x03\x04\x14\x00", 6), "a.csv");
  ASSERT_FALSE(xlsx.ok());
  EXPECT_NE(xlsx.status().message().find(".xlsx"), std::string::npos);

  const Result<CsvTable> utf16 = ParseCsv(std::string_view("\xFF\xFEx\0;\0y\0", 8), "a.csv");
  ASSERT_FALSE(utf16.ok());
  EXPECT_NE(utf16.status().message().find("UTF-16"), std::string::npos);

  const Result<CsvTable> nul = ParseCsv(std::string_view("a;b\n1;\0\n", 8), "a.csv");
  ASSERT_FALSE(nul.ok());
  EXPECT_EQ(nul.status().code(), StatusCode::kInvalidInput);  // the person's file, not our bug (issue 13)
  EXPECT_NE(nul.status().message().find("a.csv, line 2"), std::string::npos);
}

TEST(CsvTest, RejectsInputOver64MiB) {
  const std::string huge(kMaxCsvBytes + 1, 'a');
  const Result<CsvTable> table = ParseCsv(huge, "big.csv");
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(table.status().message().find("64 MiB"), std::string::npos);
}

// [SECTION] Separators and quoting -------------------------------------------------------------

TEST(CsvTest, DetectsCommaSemicolonAndTab) {
  EXPECT_EQ(ParseOk("a,b,c\n1,2,3\n").separator, ',');
  EXPECT_EQ(ParseOk("a;b;c\n1;2;3\n").separator, ';');
  const CsvTable tabbed = ParseOk("a\tb\tc\n1,5\t2\t3\n");
  EXPECT_EQ(tabbed.separator, '\t');
  ASSERT_EQ(tabbed.rows.size(), 1u);
  EXPECT_EQ(tabbed.rows[0].cells, (Cells{"1,5", "2", "3"}));
}

TEST(CsvTest, SeparatorComesFromTheHeaderOutsideQuotes) {
  // The header has one ',' outside quotes and two ';'; data rows full of decimal commas.
  const CsvTable table = ParseOk("\"Город, район\";Балл, %;Код\n\"Тула\";12,5;1\n");
  EXPECT_EQ(table.separator, ';');
  EXPECT_EQ(table.header, (Cells{"Город, район", "Балл, %", "Код"}));
  EXPECT_EQ(table.rows[0].cells, (Cells{"Тула", "12,5", "1"}));
  // Quoted separators do not count: two ',' inside quotes, one ';' outside.
  EXPECT_EQ(ParseOk("\"a,b,c\";d\n").separator, ';');
  // One column: ','.
  EXPECT_EQ(ParseOk("Название\nШкола\n").separator, ',');
}

TEST(CsvTest, ExcelSeparatorHintLine) {
  const CsvTable table = ParseOk("sep=;\r\na,b;c\r\n1;2\r\n");
  EXPECT_EQ(table.separator, ';');
  EXPECT_EQ(table.header, (Cells{"a,b", "c"}));
  ASSERT_EQ(table.rows.size(), 1u);
  EXPECT_EQ(table.rows[0].line, 3);

  const Result<CsvTable> odd = ParseCsv("sep=|\na|b\n", "x.csv");
  ASSERT_FALSE(odd.ok());
  EXPECT_NE(odd.status().message().find("x.csv, line 1"), std::string::npos);
}

// Finding 2 of tests/fuzz/README.md: an exporter that writes the hint line and then a BOM.
// The BOM was kept as the start of the first name, and a file written back lost it.
TEST(CsvTest, ABomAfterTheSeparatorHintIsNotPartOfTheFirstName) {
  const CsvTable table = ParseOk("sep=;\r\n\xEF\xBB\xBFname;code\r\nA;1\r\n");
  EXPECT_EQ(table.header, (Cells{"name", "code"}));
  const Result<std::string> written = WriteCsv(table.header, {table.rows[0].cells}, CsvDialect{});
  ASSERT_TRUE(written.ok()) << written.status().message();
  EXPECT_EQ(ParseOk(*written).header, table.header);
}

TEST(CsvTest, QuotedSeparatorsAndDoubledQuotes) {
  const CsvTable table = ParseOk(
      "name;note\n"
      "\"ООО \"\"Ромашка\"\"\";\"a;b\"\n"
      "\"\"\"\";\"\"\n");
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.rows[0].cells, (Cells{"ООО \"Ромашка\"", "a;b"}));
  EXPECT_EQ(table.rows[1].cells, (Cells{"\"", ""}));
}

TEST(CsvTest, QuotedNewlineInsideField) {
  const CsvTable table = ParseOk(
      "id,comment\n"      // line 1
      "1,\"first\n"       // line 2
      "second\n"          // line 3
      "third\"\n"         // line 4
      "2,plain\n"         // line 5
      "3,\"x\r\ny\"\r\n"  // lines 6-7
      "4,last\n");        // line 8
  ASSERT_EQ(table.rows.size(), 4u);
  EXPECT_EQ(table.rows[0].line, 2);
  EXPECT_EQ(table.rows[0].cells, (Cells{"1", "first\nsecond\nthird"}));
  EXPECT_EQ(table.rows[1].line, 5);
  EXPECT_EQ(table.rows[1].cells, (Cells{"2", "plain"}));
  EXPECT_EQ(table.rows[2].line, 6);
  EXPECT_EQ(table.rows[2].cells, (Cells{"3", "x\ny"}));  // CRLF inside quotes becomes LF.
  EXPECT_EQ(table.rows[3].line, 8);
}

TEST(CsvTest, CrLfAndBareCrLineEnds) {
  const CsvTable crlf = ParseOk("a;b\r\n1;2\r\n3;4");
  ASSERT_EQ(crlf.rows.size(), 2u);
  EXPECT_EQ(crlf.rows[0].cells, (Cells{"1", "2"}));
  EXPECT_EQ(crlf.rows[1].cells, (Cells{"3", "4"}));
  EXPECT_EQ(crlf.rows[1].line, 3);

  const CsvTable old_mac = ParseOk("a;b\r1;2\r");
  ASSERT_EQ(old_mac.rows.size(), 1u);
  EXPECT_EQ(old_mac.rows[0].cells, (Cells{"1", "2"}));
  EXPECT_EQ(old_mac.rows[0].line, 2);
}

TEST(CsvTest, SkipsBlankLinesAndKeepsCountingThem) {
  const CsvTable table = ParseOk("\n\r\na;b\n\n1;2\n   \n;;;\n;\"\"\n3;4\n\n");
  EXPECT_EQ(table.header, (Cells{"a", "b"}));
  ASSERT_EQ(table.rows.size(), 3u);
  EXPECT_EQ(table.rows[0].line, 5);
  EXPECT_EQ(table.rows[0].cells, (Cells{"1", "2"}));
  EXPECT_EQ(table.rows[1].line, 8);  // A quoted empty cell is data, not a blank line.
  EXPECT_EQ(table.rows[1].cells, (Cells{"", ""}));
  EXPECT_EQ(table.rows[2].line, 9);
}

TEST(CsvTest, TrimsUnquotedCellsButNotQuotedOnes) {
  const CsvTable table = ParseOk(" a ; \"b \" \n  1\xC2\xA0;  \" 2 \"  \n");
  EXPECT_EQ(table.header, (Cells{"a", "b"}));  // Header names are always trimmed.
  ASSERT_EQ(table.rows.size(), 1u);
  EXPECT_EQ(table.rows[0].cells, (Cells{"1", " 2 "}));
}

TEST(CsvTest, RaggedRowsAreReturnedAsTheyAre) {
  const CsvTable table = ParseOk("a;b;c\n1\n1;2;3;4\n1;2;\n");
  ASSERT_EQ(table.rows.size(), 3u);
  EXPECT_EQ(table.rows[0].cells, (Cells{"1"}));
  EXPECT_EQ(table.rows[1].cells, (Cells{"1", "2", "3", "4"}));
  EXPECT_EQ(table.rows[2].cells, (Cells{"1", "2", ""}));
}

TEST(CsvTest, UnclosedQuoteNamesFileAndLine) {
  const Result<CsvTable> table = ParseCsv("code;name\n1;a\n2;b\n3;c\n4;d\n5;e\n6;\"Школа\n7;f\n", "schools.csv");
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(table.status().message().find("schools.csv, line 7: a quoted field is not closed"), std::string::npos)
      << table.status().message();
}

TEST(CsvTest, TextAfterClosingQuoteIsAnError) {
  const Result<CsvTable> table = ParseCsv("a;b\n\"x\"y;1\n", "f.csv");
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(table.status().message().find("f.csv, line 2"), std::string::npos);
  // Spaces after the closing quote are fine.
  EXPECT_EQ(ParseOk("a;b\n\"x\"  ;1\n").rows[0].cells, (Cells{"x", "1"}));
}

TEST(CsvTest, EmptyFileHasNoHeader) {
  for (const std::string_view bytes : {"", "\n\n", "\xEF\xBB\xBF", " ; ;\r\n"}) {
    const Result<CsvTable> table = ParseCsv(bytes, "e.csv");
    ASSERT_FALSE(table.ok());
    EXPECT_NE(table.status().message().find("e.csv: the file is empty"), std::string::npos);
  }
  const CsvTable header_only = ParseOk("a;b");
  EXPECT_EQ(header_only.header, (Cells{"a", "b"}));
  EXPECT_TRUE(header_only.rows.empty());
}

TEST(CsvTest, RejectsTooManyFields) {
  const std::string header(kMaxCsvFieldsPerRecord - 1, ';');  // Exactly the limit: fine.
  EXPECT_EQ(ParseOk(header + "x\n").header.size(), kMaxCsvFieldsPerRecord);
  const Result<CsvTable> table = ParseCsv(header + ";x\n", "wide.csv");
  ASSERT_FALSE(table.ok());
  EXPECT_NE(table.status().message().find("wide.csv, line 1"), std::string::npos);
}

TEST(CsvTest, RandomBytesNeverCrash) {
  std::mt19937 random(20240917);
  constexpr std::string_view kAlphabet = "\"\";;,,\t\r\n\n ab1\xC2\xA0\xD0\x90\xC0\xFF\xEF\xBB\xBF";
  std::uniform_int_distribution<int> length_of(0, 200);
  std::uniform_int_distribution<int> any_byte(0, 255);
  std::uniform_int_distribution<std::size_t> from_alphabet(0, kAlphabet.size() - 1);
  int parsed = 0;
  for (int i = 0; i < 600; ++i) {
    const int length = length_of(random);
    std::string bytes;
    for (int j = 0; j < length; ++j) {
      bytes.push_back(i % 3 == 0 ? static_cast<char>(any_byte(random)) : kAlphabet[from_alphabet(random)]);
    }
    // The other entry points take untrusted text too.
    (void)ParseDecimal(bytes);
    (void)ParseInteger(bytes);
    (void)NormalizeHeader(bytes);
    (void)Utf8ToWindows1251(bytes);
    EXPECT_TRUE(IsValidUtf8(Windows1251ToUtf8(bytes)));

    const Result<CsvTable> table = ParseCsv(bytes, "fuzz.csv");
    if (!table.ok()) {
      EXPECT_FALSE(table.status().message().empty());
      continue;
    }
    ++parsed;
    int previous_line = 0;
    for (const std::string& name : table->header) EXPECT_TRUE(IsValidUtf8(name));
    for (const CsvTable::Row& row : table->rows) {
      EXPECT_GT(row.line, previous_line);
      previous_line = row.line;
      EXPECT_FALSE(row.cells.empty());
      for (const std::string& cell : row.cells) EXPECT_TRUE(IsValidUtf8(cell));
    }
  }
  EXPECT_GT(parsed, 100);  // The generator must exercise the success path too.
}

// [SECTION] Numbers -----------------------------------------------------------------------------

TEST(CsvTest, ParseDecimalReadsRussianExcelNumbers) {
  EXPECT_EQ(ParseDecimal("12,5"), 12.5);
  EXPECT_EQ(ParseDecimal("12.5"), 12.5);
  EXPECT_EQ(ParseDecimal("-0,25"), -0.25);
  EXPECT_EQ(ParseDecimal("+3"), 3.0);
  EXPECT_EQ(ParseDecimal("\u22127,5"), -7.5);  // MINUS SIGN
  EXPECT_EQ(ParseDecimal(",5"), 0.5);
  EXPECT_EQ(ParseDecimal("1 234,5"), 1234.5);
  EXPECT_EQ(ParseDecimal("1\u00A0234\u00A0567,25"), 1234567.25);
  EXPECT_EQ(ParseDecimal("12\u202F345"), 12345.0);
  EXPECT_EQ(ParseDecimal("  42  "), 42.0);
  EXPECT_EQ(ParseDecimal("\u00A01 234 "), 1234.0);
  EXPECT_EQ(ParseDecimal("1,5E+03"), 1500.0);
  EXPECT_EQ(ParseDecimal("2e-2"), 0.02);
}

TEST(CsvTest, ParseDecimalRejectsWhatIsNotANumber) {
  for (const std::string_view text :
       {"",         " ",    "-",      ",",  "12,", "abc", "12%", "1,234.5", "1.234,5", "1,2,3", "12 5",
        "1234 567", "1 23", "1  234", "1e", "1e+", "inf", "nan", "0x10",    "1e999",   "12 ,5", "--1"}) {
    EXPECT_EQ(ParseDecimal(text), std::nullopt) << "\"" << text << "\"";
  }
}

TEST(CsvTest, ParseIntegerAllowsNoFraction) {
  EXPECT_EQ(ParseInteger("42"), 42);
  EXPECT_EQ(ParseInteger("-7"), -7);
  EXPECT_EQ(ParseInteger("1 234 567"), 1234567);
  EXPECT_EQ(ParseInteger("1\u00A0000"), 1000);
  EXPECT_EQ(ParseInteger("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(ParseInteger("-9223372036854775808"), INT64_MIN);
  EXPECT_EQ(ParseInteger("9223372036854775808"), std::nullopt);
  EXPECT_EQ(ParseInteger("12,5"), std::nullopt);
  EXPECT_EQ(ParseInteger("12.0"), std::nullopt);
  EXPECT_EQ(ParseInteger("abc"), std::nullopt);
  EXPECT_EQ(ParseInteger("1e3"), std::nullopt);
  EXPECT_EQ(ParseInteger(""), std::nullopt);
}

// [SECTION] Writing -----------------------------------------------------------------------------

const Cells kHeader = {"Код ОО", "Название", "Комментарий", "Балл"};
const std::vector<Cells> kRows = {
    {"101", "МБОУ «Школа № 5»", "Ёлки — ёжики", "12,5"},
    {"102", "ООО \"Ромашка\"; филиал", "строка 1\nстрока 2", "7"},
    {"103", "  пробелы по краям  ", "", "a,b"},
    {"", "", "", ""},
    {"104"},
    {"105", "\tтаб", "конец\xC2\xA0", "\"", "лишняя"},
};

void ExpectRoundTrip(const CsvDialect& dialect, TextEncoding expected_encoding) {
  const Result<std::string> bytes = WriteCsv(kHeader, kRows, dialect);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  const CsvTable table = ParseOk(*bytes);
  EXPECT_EQ(table.separator, dialect.separator);
  EXPECT_EQ(table.encoding, expected_encoding);
  EXPECT_EQ(table.header, kHeader);
  ASSERT_EQ(table.rows.size(), kRows.size());
  for (std::size_t i = 0; i < kRows.size(); ++i) EXPECT_EQ(table.rows[i].cells, kRows[i]) << i;
  EXPECT_EQ(table.rows[1].line, 3);
  EXPECT_EQ(table.rows[2].line, 5);  // Row 2's cell spans two lines.
}

TEST(CsvTest, WriteThenParseRoundTripsInEveryDialect) {
  ExpectRoundTrip(CsvDialect{}, TextEncoding::kUtf8);
  ExpectRoundTrip(CsvDialect{';', TextEncoding::kUtf8, true}, TextEncoding::kUtf8);
  ExpectRoundTrip(CsvDialect{'\t', TextEncoding::kUtf8, false}, TextEncoding::kUtf8);
  ExpectRoundTrip(CsvDialect::Excel(), TextEncoding::kWindows1251);
}

TEST(CsvTest, WriteExcelDialectBytes) {
  const CsvDialect excel = CsvDialect::Excel();
  EXPECT_EQ(excel.separator, ';');
  EXPECT_EQ(excel.encoding, TextEncoding::kWindows1251);
  EXPECT_FALSE(excel.bom);
  const Result<std::string> bytes = WriteCsv({"Код", "Имя"}, {{"1", "Ёж; \"ёж\""}, {"2", " а"}}, excel);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  EXPECT_EQ(*bytes,
            "\xCA\xEE\xE4;\xC8\xEC\xFF\r\n"
            "1;\"\xA8\xE6; \"\"\xB8\xE6\"\"\"\r\n"
            "2;\" \xE0\"\r\n");
}

TEST(CsvTest, WriteUtf8WithBom) {
  const Result<std::string> bytes = WriteCsv({"a", "b"}, {{"1", "2"}}, {',', TextEncoding::kUtf8, true});
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, "\uFEFFa,b\r\n1,2\r\n");
}

TEST(CsvTest, WriteWindows1251NamesTheCellItCannotEncode) {
  const Result<std::string> bytes = WriteCsv(kHeader, {{"1", "Школа", "Супер 😀", "5"}}, CsvDialect::Excel());
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(bytes.status().message().find("row 1, column «Комментарий»"), std::string::npos)
      << bytes.status().message();
  EXPECT_NE(bytes.status().message().find("U+1F600"), std::string::npos);
}

TEST(CsvTest, WriteRejectsBadArguments) {
  EXPECT_FALSE(WriteCsv({}, {}, CsvDialect{}).ok());
  EXPECT_FALSE(WriteCsv({"a"}, {}, CsvDialect{'|', TextEncoding::kUtf8, false}).ok());
  EXPECT_FALSE(WriteCsv({"a"}, {}, CsvDialect{';', TextEncoding::kWindows1251, true}).ok());
  const Result<std::string> broken = WriteCsv({"a", "b"}, {{"1", "\xFF"}}, CsvDialect{});
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.status().message().find("row 1, column «b»"), std::string::npos);
  EXPECT_FALSE(WriteCsv({"a"}, {{std::string("x\0y", 3)}}, CsvDialect{}).ok());
}

TEST(CsvTest, WriteQuotesOtherSeparatorsInTheHeader) {
  // Unquoted, "Балл; %" would make ParseCsv pick ';' over the one ','.
  const Result<std::string> bytes =
      WriteCsv({"Балл; %", "Код"}, {{"12;5", "1"}}, CsvDialect{',', TextEncoding::kUtf8, false});
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, "\"Балл; %\",Код\r\n12;5,1\r\n");
  const CsvTable table = ParseOk(*bytes);
  EXPECT_EQ(table.separator, ',');
  EXPECT_EQ(table.header, (Cells{"Балл; %", "Код"}));
  EXPECT_EQ(table.rows[0].cells, (Cells{"12;5", "1"}));
}

TEST(CsvTest, WriteQuotesAHeaderThatLooksLikeASeparatorHint) {
  const Result<std::string> bytes = WriteCsv({"sep=;"}, {{"1"}}, CsvDialect{});
  ASSERT_TRUE(bytes.ok());
  const CsvTable table = ParseOk(*bytes);
  EXPECT_EQ(table.header, (Cells{"sep=;"}));
  ASSERT_EQ(table.rows.size(), 1u);
  EXPECT_EQ(table.rows[0].cells, (Cells{"1"}));
}

// [SECTION] Header names ------------------------------------------------------------------------

TEST(CsvTest, NormalizeHeader) {
  EXPECT_EQ(NormalizeHeader("  Код   ОО "), "код оо");
  EXPECT_EQ(NormalizeHeader(" Код ОО "), NormalizeHeader("код оо"));
  EXPECT_EQ(NormalizeHeader("ЁЖИК\tВ\xC2\xA0ТУМАНЕ"), "ёжик в тумане");
  EXPECT_EQ(NormalizeHeader("School ID\r\n"), "school id");
  EXPECT_EQ(NormalizeHeader("АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"), "абвгдеёжзийклмнопрстуфхцчшщъыьэюя");
  EXPECT_EQ(NormalizeHeader(""), "");
  EXPECT_EQ(NormalizeHeader("  \xC2\xA0 "), "");
  EXPECT_EQ(NormalizeHeader("A\xFF-B"), "a\xFF-b");  // Invalid bytes are kept.
}

}  // namespace
}  // namespace mentorlog::core
