package dev.memtrace.run;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bytes to text for strace lines and maps files. strace escapes what it decodes, but {@code -k}
 * paths, maps paths and localised messages are raw bytes (strace-format.md §9): valid UTF-8 is
 * decoded as such, anything else as ISO-8859-1, which keeps every byte. Not thread-safe.
 */
final class LineDecoder {

  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);

  String decode(byte[] bytes, int from, int length) {
    boolean ascii = true;
    for (int i = from; i < from + length; i++) {
      if (bytes[i] < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(bytes, from, length, StandardCharsets.ISO_8859_1);
    }
    try {
      return utf8.decode(ByteBuffer.wrap(bytes, from, length)).toString();
    } catch (CharacterCodingException e) {
      return new String(bytes, from, length, StandardCharsets.ISO_8859_1);
    }
  }
}
