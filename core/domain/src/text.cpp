// Record texts and their safe output forms; see text.h for the rule.
#include "mentorlog/domain/text.h"

#include <cstdio>

namespace mentorlog::core {

namespace {

constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";  // U+FFFD

// Whether a decoded character may stand in a record (XML 1.0's Char, surrogates aside).
bool IsAllowedChar(char32_t cp) {
  if (cp < 0x20) return cp == '\t' || cp == '\n' || cp == '\r';
  return cp != 0xFFFE && cp != 0xFFFF;
}

// Up to the last 20 characters before `offset` (which starts a character of valid text), on
// one line, for a message to quote.
std::string WordsBefore(std::string_view text, size_t offset) {
  constexpr int kChars = 20;
  size_t start = offset;
  int chars = 0;
  while (start > 0 && chars < kChars) {
    --start;
    if ((static_cast<unsigned char>(text[start]) & 0xC0) != 0x80) ++chars;
  }
  std::string words(text.substr(start, offset - start));
  for (char& c : words) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return (start > 0 ? "…" : "") + words;
}

TextFault MakeFault(std::string_view text, size_t offset, std::string what_en, std::string what_ru, std::string fix_en,
                    std::string fix_ru) {
  TextFault fault;
  fault.offset = offset;
  std::string where_en = "at its start";
  std::string where_ru = "в самом начале";
  if (offset > 0) {
    const std::string words = WordsBefore(text, offset);
    where_en = "after «" + words + "»";
    where_ru = "после «" + words + "»";
  }
  fault.en = "The text has " + what_en + " " + where_en + ". " + fix_en;
  fault.ru = "В тексте есть " + what_ru + " " + where_ru + ". " + fix_ru;
  return fault;
}

}  // namespace

std::string CodePointName(char32_t cp) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(cp));
  return buffer;
}

std::string ByteName(unsigned char byte) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "0x%02X", static_cast<unsigned>(byte));
  return buffer;
}

size_t DecodeUtf8At(std::string_view s, size_t pos, char32_t& cp) {
  const auto lead = static_cast<unsigned char>(s[pos]);
  if (lead < 0x80) {
    cp = lead;
    return 1;
  }
  size_t length = 0;
  char32_t smallest = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    cp = lead & 0x1Fu;
    smallest = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    cp = lead & 0x0Fu;
    smallest = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    cp = lead & 0x07u;
    smallest = 0x10000;
  } else {
    return 0;
  }
  if (s.size() - pos < length) return 0;
  for (size_t i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(s[pos + i]);
    if ((next & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (next & 0x3Fu);
  }
  if (cp < smallest || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return length;
}

std::optional<TextFault> FindTextFault(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    char32_t cp = 0;
    const size_t length = DecodeUtf8At(text, pos, cp);
    if (length == 0) {
      return MakeFault(text, pos,
                       "bytes that are not UTF-8 text (" + ByteName(static_cast<unsigned char>(text[pos])) + ")",
                       "байты не в кодировке UTF-8 (" + ByteName(static_cast<unsigned char>(text[pos])) + ")",
                       "It was probably pasted from a file in another encoding: type that part again.",
                       "Вероятно, он вставлен из файла в другой кодировке: наберите эту часть заново.");
    }
    if (!IsAllowedChar(cp)) {
      if (cp == 0) {
        return MakeFault(text, pos, "an invisible NUL character (code 0)", "невидимый нулевой символ (код 0)",
                         "Delete it and save again.", "Удалите его и сохраните снова.");
      }
      if (cp < 0x20) {
        return MakeFault(text, pos, "an invisible control character (" + CodePointName(cp) + ")",
                         "невидимый управляющий символ (" + CodePointName(cp) + ")", "Delete it and save again.",
                         "Удалите его и сохраните снова.");
      }
      return MakeFault(text, pos, "a character that is not allowed in text (" + CodePointName(cp) + ")",
                       "недопустимый в тексте символ (" + CodePointName(cp) + ")", "Delete it and save again.",
                       "Удалите его и сохраните снова.");
    }
    pos += length;
  }
  return std::nullopt;
}

bool IsRecordText(std::string_view text) {
  // The common case, ASCII without controls, without building a message.
  bool simple = true;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || (u < 0x20 && c != '\t' && c != '\n' && c != '\r')) {
      simple = false;
      break;
    }
  }
  return simple || !FindTextFault(text).has_value();
}

Status CheckRecordText(std::string_view text) {
  if (IsRecordText(text)) return Status::Ok();
  const TextFault fault = *FindTextFault(text);
  return Status::InvalidInput(LocalText{fault.ru, fault.en});
}

std::string ToRecordText(std::string_view text, std::string_view replacement) {
  if (IsRecordText(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 8);
  size_t pos = 0;
  while (pos < text.size()) {
    char32_t cp = 0;
    const size_t length = DecodeUtf8At(text, pos, cp);
    if (length == 0) {
      out += replacement;
      ++pos;
      continue;
    }
    if (IsAllowedChar(cp)) {
      out.append(text.substr(pos, length));
    } else {
      out += replacement;
    }
    pos += length;
  }
  return out;
}

std::string ToTerminalText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  // Skips a control sequence's body from `pos`: CSI parameters and intermediates up to the
  // final byte (0x40..0x7E), or an OSC string up to BEL, ESC \ or U+009C.
  const auto skip_csi = [&] {
    while (pos < text.size()) {
      const auto u = static_cast<unsigned char>(text[pos]);
      ++pos;
      if (u >= 0x40 && u <= 0x7E) return;
      if (u < 0x20 || u > 0x3F) {  // not a parameter or intermediate: malformed, stop here
        --pos;
        return;
      }
    }
  };
  const auto skip_osc = [&] {
    while (pos < text.size()) {
      const char c = text[pos];
      if (c == '\a') {
        ++pos;
        return;
      }
      if (c == '\x1B' && pos + 1 < text.size() && text[pos + 1] == '\\') {
        pos += 2;
        return;
      }
      if (text.substr(pos).starts_with("\xC2\x9C")) {
        pos += 2;
        return;
      }
      if (c == '\n') return;  // keep the line structure of what follows
      ++pos;
    }
  };
  while (pos < text.size()) {
    char32_t cp = 0;
    const size_t length = DecodeUtf8At(text, pos, cp);
    if (length == 0) {
      out += kReplacementChar;
      ++pos;
      continue;
    }
    pos += length;
    if (cp == 0x1B) {
      if (pos < text.size() && text[pos] == '[') {
        ++pos;
        skip_csi();
      } else if (pos < text.size() && text[pos] == ']') {
        ++pos;
        skip_osc();
      } else if (pos < text.size() && static_cast<unsigned char>(text[pos]) >= 0x20 &&
                 static_cast<unsigned char>(text[pos]) < 0x7F) {
        ++pos;  // a two-byte escape (ESC c, ESC 7, ...)
      }
      continue;
    }
    if (cp == 0x9B) {
      skip_csi();
      continue;
    }
    if (cp == 0x9D) {
      skip_osc();
      continue;
    }
    const bool control = (cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7F && cp <= 0x9F);
    if (!control) out.append(text.substr(pos - length, length));
  }
  return out;
}

}  // namespace mentorlog::core
