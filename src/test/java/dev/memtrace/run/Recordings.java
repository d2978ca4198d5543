package dev.memtrace.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helper: a recording's items in order. */
public final class Recordings {

  private Recordings() {}

  public static List<LiveItem> items(Path file) throws IOException {
    List<LiveItem> items = new ArrayList<>();
    RecordingReader.replay(file, items::add);
    return items;
  }

  /** The snapshot taken right after log line {@code line}, or null. */
  public static MapsSnapshot snapshotAfter(List<LiveItem> items, int line) {
    for (LiveItem i : items) {
      if (i instanceof MapsSnapshot s
          && s.line() == line
          && s.kind() == MapsSnapshot.Kind.AFTER_CALL) {
        return s;
      }
    }
    return null;
  }

  /** The first log line containing {@code text}, or null. */
  public static LiveItem.LogLine firstLine(List<LiveItem> items, String text) {
    for (LiveItem i : items) {
      if (i instanceof LiveItem.LogLine l && l.text().contains(text)) {
        return l;
      }
    }
    return null;
  }

  /** The maps line (region) containing {@code address} in a snapshot's text, or null. */
  public static String regionAt(MapsSnapshot s, long address) {
    for (String l : s.maps().split("\n")) {
      String range = l.substring(0, l.indexOf(' '));
      long start = Long.parseUnsignedLong(range.substring(0, range.indexOf('-')), 16);
      long end = Long.parseUnsignedLong(range.substring(range.indexOf('-') + 1), 16);
      if (Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0) {
        return l;
      }
    }
    return null;
  }
}
