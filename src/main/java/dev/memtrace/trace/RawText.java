package dev.memtrace.trace;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * How text from the log or the kernel is shown. Such text is held one char per byte (ISO-8859-1):
 * log lines as read, file names with strace's escapes decoded, {@code /proc/PID/maps} as read, so
 * that the same bytes compare equal wherever they came from. Shown, the bytes are decoded as UTF-8
 * where they are valid UTF-8; for a terminal, every control character is then written as a visible
 * {@code \xHH}. This is the one place that says how; the renderers, the maps listing and the
 * sentences that quote a file name all come here.
 */
public final class RawText {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RawText() {}

  /** The bytes as UTF-8; each byte of an invalid sequence becomes U+FFFD. ASCII passes as is. */
  public static String unicode(String raw) {
    if (ascii(raw)) {
      return raw;
    }
    CharsetDecoder d =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try {
      return d.decode(ByteBuffer.wrap(raw.getBytes(StandardCharsets.ISO_8859_1))).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalStateException("REPLACE never throws", e);
    }
  }

  /**
   * A file name's bytes as UTF-8 where they are valid UTF-8 ({@code café.txt}), each byte of an
   * invalid sequence as {@code \xHH} ({@code bad\xff.txt}): a name is shown as it is, never
   * replaced by U+FFFD. Null or empty gives "".
   */
  public static String name(String raw) {
    if (raw == null || ascii(raw)) {
      return raw == null ? "" : raw;
    }
    ByteBuffer in = ByteBuffer.wrap(raw.getBytes(StandardCharsets.ISO_8859_1));
    CharBuffer out = CharBuffer.allocate(raw.length() * 4);
    CharsetDecoder d =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    while (true) {
      CoderResult r = d.decode(in, out, true);
      if (!r.isError()) {
        break;
      }
      for (int k = 0; k < r.length(); k++) {
        int b = in.get() & 0xff;
        out.put('\\').put('x').put(HEX[b >> 4]).put(HEX[b & 0xf]);
      }
    }
    d.flush(out);
    return out.flip().toString();
  }

  /**
   * Unicode text made safe for a terminal: every control character that a terminal would act on (C0
   * but newline, DEL, C1, so ESC and CSI sequences among them) written as a visible {@code \xHH}. A
   * traced program's bytes can then never move the cursor, retitle the window or recolour the
   * screen.
   */
  public static String controls(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean control = (c < 0x20 && c != '\n') || (c >= 0x7f && c <= 0x9f);
      if (control && b == null) {
        b = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (b != null) {
        if (control) {
          b.append("\\x").append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
        } else {
          b.append(c);
        }
      }
    }
    return b == null ? s : b.toString();
  }

  /** Log text for a terminal: {@link #unicode}, then {@link #controls}. */
  public static String terminal(String raw) {
    if (raw == null) {
      return "";
    }
    // Almost every log text is printable ASCII, which both steps pass as is: one look at each char
    for (int i = 0, n = raw.length(); i < n; i++) {
      char c = raw.charAt(i);
      if ((c < 0x20 && c != '\n') || c >= 0x7f) {
        return controls(unicode(raw));
      }
    }
    return raw;
  }

  /** A file name for a terminal: {@link #name}, then {@link #controls} (a newline too). */
  public static String terminalName(String raw) {
    return controls(name(raw)).replace("\n", "\\x0a");
  }

  private static boolean ascii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
