package dev.memtrace.model;

/**
 * A regular file an open left empty (open(2): O_CREAT|O_EXCL makes a new file, O_TRUNC empties a
 * writable one, creat does both) that no traced call has written since, and what ftruncate,
 * fallocate or truncate sized it to: those write no data (ftruncate's new bytes are a hole,
 * fallocate's blocks unwritten extents), so its pages read as zeros and nothing is read from a
 * disk.
 *
 * @param openLine the line of the open
 * @param how the open's flags that emptied it: O_CREAT|O_EXCL, O_TRUNC or creat
 * @param sizeLine the line of the last call that sized it, 0 for none
 * @param sizeCall that call's name, null for none
 * @param size the size it gave, 0 for none
 * @param sharedMapLine the line of the first writable shared mapping of it, 0 for none: what is
 *     written through such a mapping the trace does not show
 */
public record EmptyFile(
    int openLine, String how, int sizeLine, String sizeCall, long size, int sharedMapLine) {

  EmptyFile(int openLine, String how) {
    this(openLine, how, 0, null, 0, 0);
  }

  EmptyFile sized(int line, String call, long newSize) {
    return new EmptyFile(openLine, how, line, call, newSize, sharedMapLine);
  }

  EmptyFile mappedShared(int line) {
    return sharedMapLine > 0 ? this : new EmptyFile(openLine, how, sizeLine, sizeCall, size, line);
  }

  /**
   * Whether the file is still empty as the call at this line begins: a writable shared mapping of
   * it made before that line may have written to it since.
   */
  public boolean emptyAt(int line) {
    return sharedMapLine == 0 || sharedMapLine == line;
  }
}
