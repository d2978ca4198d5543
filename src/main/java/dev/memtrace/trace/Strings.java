package dev.memtrace.trace;

import java.io.ByteArrayOutputStream;

/**
 * Decodes strace's C string escapes (util.c:string_quote) back to the bytes the tracee had: {@code
 * \n \t \r \v \f \" \\}, shortest octal ({@code \0}, {@code \33}, {@code \377}) and the hex forms
 * of {@code -x}/{@code -xx} ({@code \x7f}). Chars above 0xff cannot occur in a line read as
 * ISO-8859-1; each char is one byte.
 */
public final class Strings {

  private Strings() {}

  public static byte[] decode(String s, int from, int to) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
    int i = from;
    while (i < to) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 >= to) {
        out.write(c);
        i++;
        continue;
      }
      char e = s.charAt(i + 1);
      i += 2;
      switch (e) {
        case 'n' -> out.write('\n');
        case 't' -> out.write('\t');
        case 'r' -> out.write('\r');
        case 'v' -> out.write(0x0b);
        case 'f' -> out.write('\f');
        case 'x' -> {
          int v = 0;
          int k = 0;
          while (k < 2 && i < to && Character.digit(s.charAt(i), 16) >= 0) {
            v = v * 16 + Character.digit(s.charAt(i), 16);
            i++;
            k++;
          }
          out.write(v);
        }
        default -> {
          if (e >= '0' && e <= '7') {
            int v = e - '0';
            int k = 1;
            while (k < 3 && i < to && s.charAt(i) >= '0' && s.charAt(i) <= '7') {
              v = v * 8 + (s.charAt(i) - '0');
              i++;
              k++;
            }
            out.write(v);
          } else {
            out.write(e);
          }
        }
      }
    }
    return out.toByteArray();
  }
}
