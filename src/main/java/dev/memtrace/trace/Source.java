package dev.memtrace.trace;

/**
 * Where an event came from: the file (null for standard input or a live run), the 1-based line
 * number in it, and the raw text of that line (for a call split into unfinished/resumed halves, the
 * text of both halves joined by a newline; the line number is the first half's, and {@code endLine}
 * the last half's: the line at which the call had returned). {@code ref} is the line as the stages
 * after parsing keep and cite it: the line itself in a single log, the line's reference in an
 * {@code -ff} set ({@link SetLines}).
 */
public record Source(String file, int line, String text, int endLine, int ref) {

  /** A source on one line. */
  public Source(String file, int line, String text) {
    this(file, line, text, line);
  }

  /** A source of a single log (its reference is its line). */
  public Source(String file, int line, String text, int endLine) {
    this(file, line, text, endLine, line);
  }

  /**
   * The call as strace prints one that is not interrupted: a call's halves joined into one line,
   * with the first half's pid and time ({@code mprotect(0x7f.., 135168, PROT_READ <unfinished ...>}
   * and {@code <... mprotect resumed>) = 0} as {@code mprotect(0x7f.., 135168, PROT_READ) = 0}; the
   * rest strace 6.1 prints on a bare line after a staged half is appended as it is).
   */
  public String oneLine() {
    int nl = text.indexOf('\n');
    if (nl < 0) {
      return text;
    }
    String first = text.substring(0, nl);
    String rest = text.substring(text.lastIndexOf('\n') + 1);
    int resumed = rest.indexOf(LineParser.RESUMED);
    int cut = first.lastIndexOf(LineParser.UNFINISHED);
    return (cut < 0 ? first : first.substring(0, cut))
        + (resumed < 0 ? rest.strip() : rest.substring(resumed + LineParser.RESUMED.length()));
  }
}
