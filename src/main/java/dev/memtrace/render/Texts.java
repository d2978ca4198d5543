package dev.memtrace.render;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Log text is held one char per byte (ISO-8859-1), so raw bytes survive parsing. For output as
 * Unicode (JSON), the bytes are decoded as UTF-8 where they are valid UTF-8, and each byte of an
 * invalid sequence becomes U+FFFD. Pure ASCII, by far the common case, passes through untouched.
 */
final class Texts {

  private Texts() {}

  static String unicode(String raw) {
    int n = raw.length();
    int i = 0;
    while (i < n && raw.charAt(i) < 0x80) {
      i++;
    }
    if (i == n) {
      return raw;
    }
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try {
      return d.decode(ByteBuffer.wrap(raw.getBytes(StandardCharsets.ISO_8859_1))).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalStateException("REPLACE never throws", e);
    }
  }

  /** {@code 8192} as "8 KiB", {@code 139264} as "136 KiB", {@code 1400832} as "1.3 MiB". */
  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : String.format("%.1f KiB", bytes / 1024.0);
    }
    long mib = 1024 * 1024;
    if (bytes < 1024 * mib) {
      return bytes % mib == 0 ? bytes / mib + " MiB" : String.format("%.1f MiB", bytes / (double) mib);
    }
    return String.format("%.1f GiB", bytes / (1024.0 * mib));
  }
}
