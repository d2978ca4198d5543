package dev.memtrace.pipeline;

import dev.memtrace.run.ExitCode;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;

/**
 * Where the output goes, with its first write error kept. {@link PrintStream} and {@code
 * PrintWriter} swallow write errors and keep only a flag, so {@code memtrace analyze LOG >
 * /dev/full} used to end with status 0 and nothing said; the process's standard output is therefore
 * written through its file descriptor, not through {@code System.out}. As coreutils does, a full
 * disk or a closed descriptor is a write error, and a reader that went away (EPIPE, {@code | head})
 * is not.
 */
public final class CheckedOutput extends FilterOutputStream {

  /** strerror(EPIPE), the text of the IOException the JDK throws for it. */
  private static final String BROKEN_PIPE = "Broken pipe";

  /** Standard output or error, or a caller's stream: flushed at the end, never closed. */
  private final boolean borrowed;

  private IOException failure;

  /** A file memtrace opened ({@code -o FILE}): closed at the end. */
  CheckedOutput(OutputStream file) {
    this(file, false);
  }

  private CheckedOutput(OutputStream out, boolean borrowed) {
    super(out);
    this.borrowed = borrowed;
  }

  /**
   * {@code stream}; the process's standard output or error themselves (their file descriptors) when
   * it is {@code System.out} or {@code System.err}.
   */
  static CheckedOutput of(PrintStream stream) {
    OutputStream s =
        stream == System.out
            ? new FileOutputStream(FileDescriptor.out)
            : stream == System.err ? new FileOutputStream(FileDescriptor.err) : stream;
    return new CheckedOutput(s, true);
  }

  /** What a command prints on standard output; returns its exit status. */
  public interface Printing {
    int print(PrintWriter out) throws IOException;
  }

  /**
   * Runs {@code printing} on {@code stdout}, kept by a CheckedOutput: a write error (not a reader
   * that went away) is said on {@code err} as {@code memtrace: write error: REASON} and is the exit
   * status {@link ExitCode#WRITE_ERROR}.
   */
  public static int print(PrintStream stdout, PrintWriter err, Printing printing)
      throws IOException {
    CheckedOutput target = of(stdout);
    PrintWriter out =
        new PrintWriter(new OutputStreamWriter(new BufferedOutputStream(target, 1 << 16)));
    int status;
    try {
      status = printing.print(out);
    } finally {
      out.close(); // PrintWriter keeps only a flag when a write fails; the target keeps the error
    }
    if (target.failed() && !target.readerGone()) {
      err.println("memtrace: write error: " + target.reason());
      return ExitCode.WRITE_ERROR.code;
    }
    return status;
  }

  @Override
  public void write(int b) throws IOException {
    try {
      out.write(b);
    } catch (IOException e) {
      throw kept(e);
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    try {
      out.write(b, off, len);
    } catch (IOException e) {
      throw kept(e);
    }
  }

  @Override
  public void flush() throws IOException {
    try {
      out.flush();
    } catch (IOException e) {
      throw kept(e);
    }
  }

  /** Standard output is not closed, only flushed: memtrace may still write to it. */
  @Override
  public void close() throws IOException {
    if (borrowed) {
      flush();
    } else {
      try {
        out.close();
      } catch (IOException e) {
        throw kept(e);
      }
    }
  }

  private IOException kept(IOException e) {
    if (failure == null) {
      failure = e;
    }
    return e;
  }

  /** Whether a write failed (also one a PrintStream underneath swallowed). */
  boolean failed() {
    return failure != null || out instanceof PrintStream ps && ps.checkError();
  }

  /** The reader of a pipe went away: not an error, the output just ends (as in coreutils). */
  boolean readerGone() {
    return failure != null
        ? BROKEN_PIPE.equals(failure.getMessage())
        : out instanceof PrintStream ps && ps.checkError();
  }

  /** What went wrong, for {@code memtrace: write error: ...}: the system's words when known. */
  String reason() {
    return failure != null && failure.getMessage() != null
        ? failure.getMessage()
        : "the output stream failed";
  }
}
