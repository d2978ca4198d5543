package dev.memtrace.render.html;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * Passes JSON through, writing {@code <}, {@code >}, {@code &}, U+2028 and U+2029 as {@code \}u
 * escapes. In JSON these characters can only occur inside strings, where the escape means the same,
 * so the result is the same JSON; but no byte sequence of it can close the {@code <script>} element
 * it is embedded in ({@code </script>}), open a comment ({@code <!--}) or end a line for an old
 * JavaScript parser.
 */
final class ScriptSafeWriter extends FilterWriter {

  ScriptSafeWriter(Writer out) {
    super(out);
  }

  @Override
  public void write(int c) throws IOException {
    switch (c) {
      case '<', '>', '&', '\u2028', '\u2029' -> out.write(String.format("\\u%04x", c));
      default -> out.write(c);
    }
  }

  @Override
  public void write(char[] buf, int off, int len) throws IOException {
    int start = off;
    for (int i = off; i < off + len; i++) {
      char c = buf[i];
      if (c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
        out.write(buf, start, i - start);
        write(c);
        start = i + 1;
      }
    }
    out.write(buf, start, off + len - start);
  }

  @Override
  public void write(String s, int off, int len) throws IOException {
    write(s.toCharArray(), off, len);
  }
}
