// The texts a record may hold, and texts made safe for the places they are written to.
//
// A record's text (a name, a note, a list of subjects) is acceptable when it is valid UTF-8
// (no overlong forms, no surrogates U+D800..U+DFFF, nothing above U+10FFFF) and every
// character is one XML 1.0 can hold: no NUL and no other C0 control character except tab,
// line feed and carriage return, and not U+FFFE or U+FFFF. So a stored text never breaks a
// CSV, JSON or XLSX export, a PDF or a terminal. Validation (validation.h) applies this to every
// text field of every record kind; the server applies it to what devices push.
//
// The To...Text functions are for output: they never fail, and turn what the rule refuses
// (a record written by an old version) into a visible replacement instead of a broken file.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "mentorlog/base/status.h"

namespace mentorlog::core {

// What is wrong with a text, for a person, in both languages. The message names the kind of
// character (and its code) and quotes the words just before it, so the person can find it;
// it never names a field or an id (the caller knows the field).
struct TextFault {
  size_t offset = 0;  // byte offset of the first unacceptable byte
  std::string en;
  std::string ru;

  const std::string& In(Language language) const { return language == Language::kRussian ? ru : en; }
};

// The first fault of `text` as a record's text, or nullopt when it is acceptable.
std::optional<TextFault> FindTextFault(std::string_view text);

// Decodes the code point at `pos` (REQUIRES: pos < s.size()). Returns its length in bytes, or
// 0 when the bytes there are not strict UTF-8 (truncated, overlong, a surrogate, above
// U+10FFFF). The one UTF-8 decoder of the core (csv.cpp reads files with it too).
size_t DecodeUtf8At(std::string_view s, size_t pos, char32_t& cp);

// How messages name a character ("U+00A0") and a byte that is not text ("0xC3").
std::string CodePointName(char32_t cp);
std::string ByteName(unsigned char byte);

// Whether `text` is acceptable in a record (FindTextFault finds nothing).
bool IsRecordText(std::string_view text);

// Ok when `text` is acceptable in a record; otherwise InvalidInput with FindTextFault's message.
Status CheckRecordText(std::string_view text);

// `text` with every unacceptable part replaced by `replacement`: one replacement for each
// byte that is not valid UTF-8, and for each refused character (NUL, control characters,
// U+FFFE, U+FFFF). Acceptable texts come back unchanged. U+FFFD by default; the Windows-1251
// export, which has no U+FFFD, passes "?".
std::string ToRecordText(std::string_view text, std::string_view replacement = "\xEF\xBF\xBD");

// `text` as it may be printed on a terminal: escape sequences (ESC or U+009B CSI with their
// parameters, ESC ] or U+009D OSC up to BEL or ESC \) are removed, and so are every other C0
// control character except newline and tab, DEL and every C1 control (U+0080..U+009F).
// Bytes that are not valid UTF-8 become U+FFFD (a lone 0x9B byte is a CSI on 8-bit terminals).
std::string ToTerminalText(std::string_view text);

}  // namespace mentorlog::core
