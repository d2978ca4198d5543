package dev.memtrace.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A recording's lines, each decoded from UTF-8 on its own, so one bad byte costs its line only:
 * such a line comes back empty with {@link #malformed} true. Counts lines from 1.
 */
final class RecordingLines implements AutoCloseable {

  private final InputStream in;
  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private byte[] buf = new byte[8192];
  private long lineNumber;
  private boolean malformed;
  private boolean atEnd;

  RecordingLines(InputStream in) {
    this.in = in;
  }

  /** The next line without its newline, or null at the end. */
  String next() throws IOException {
    if (atEnd) {
      return null;
    }
    int n = 0;
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (n == buf.length) {
        buf = Arrays.copyOf(buf, n * 2);
      }
      buf[n++] = (byte) b;
    }
    if (b < 0) {
      atEnd = true;
      if (n == 0) {
        return null;
      }
    } else {
      atEnd = peekEnd();
    }
    lineNumber++;
    try {
      malformed = false;
      return utf8.reset().decode(ByteBuffer.wrap(buf, 0, n)).toString();
    } catch (CharacterCodingException e) {
      malformed = true;
      return "";
    }
  }

  /** True when the line last returned was not UTF-8. */
  boolean malformed() {
    return malformed;
  }

  /** True when the line last returned was the last one. */
  boolean atEnd() {
    return atEnd;
  }

  /** The number of the line last returned. */
  long lineNumber() {
    return lineNumber;
  }

  private boolean peekEnd() throws IOException {
    if (!in.markSupported()) {
      return false;
    }
    in.mark(1);
    boolean end = in.read() < 0;
    in.reset();
    return end;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
