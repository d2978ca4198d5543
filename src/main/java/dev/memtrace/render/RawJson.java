package dev.memtrace.render;

import com.fasterxml.jackson.core.SerializableString;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * JSON already written as UTF-8 bytes ({@link AsciiJson}), handed to the generator's {@code
 * writeRawValue} or {@code writeRaw}. Only the methods the UTF-8 generator uses for raw values are
 * supported.
 */
final class RawJson implements SerializableString {

  private final byte[] utf8;
  private final int length;

  /**
   * The first {@code length} bytes of {@code utf8} (a buffer the writer reuses after the write).
   */
  RawJson(byte[] utf8, int length) {
    this.utf8 = utf8;
    this.length = length;
  }

  @Override
  public byte[] asUnquotedUTF8() {
    return length == utf8.length ? utf8 : Arrays.copyOf(utf8, length);
  }

  @Override
  public int appendUnquotedUTF8(byte[] buffer, int offset) {
    if (offset + length > buffer.length) {
      return -1;
    }
    System.arraycopy(utf8, 0, buffer, offset, length);
    return length;
  }

  @Override
  public String getValue() {
    return new String(utf8, 0, length, StandardCharsets.UTF_8);
  }

  @Override
  public int charLength() {
    return getValue().length();
  }

  @Override
  public char[] asQuotedChars() {
    throw new UnsupportedOperationException();
  }

  @Override
  public byte[] asQuotedUTF8() {
    throw new UnsupportedOperationException();
  }

  @Override
  public int appendQuotedUTF8(byte[] buffer, int offset) {
    throw new UnsupportedOperationException();
  }

  @Override
  public int appendQuoted(char[] buffer, int offset) {
    throw new UnsupportedOperationException();
  }

  @Override
  public int appendUnquoted(char[] buffer, int offset) {
    throw new UnsupportedOperationException();
  }

  @Override
  public int writeQuotedUTF8(OutputStream out) {
    throw new UnsupportedOperationException();
  }

  @Override
  public int writeUnquotedUTF8(OutputStream out) {
    throw new UnsupportedOperationException();
  }

  @Override
  public int putQuotedUTF8(ByteBuffer buffer) {
    throw new UnsupportedOperationException();
  }

  @Override
  public int putUnquotedUTF8(ByteBuffer out) {
    throw new UnsupportedOperationException();
  }
}
