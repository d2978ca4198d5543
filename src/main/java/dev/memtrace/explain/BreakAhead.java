package dev.memtrace.explain;

import static dev.memtrace.explain.Ctx.hex;

import dev.memtrace.model.Region;
import dev.memtrace.model.RegionChange;
import dev.memtrace.timeline.Explanation;
import java.util.ArrayList;
import java.util.List;

/**
 * A brk whose change goes the other way from the break it moves. The sentence of a brk reads the
 * move from the trace (the break the last brk set, and this one's result), the change from the
 * model; when a /proc/PID/maps snapshot read after strace's hold ended already showed a later
 * call's break, the model resynced to it, and the next brk then shrinks a [heap] it grows (or grows
 * one it shrinks). The sentence says so, so that it agrees with the change shown.
 */
final class BreakAhead {

  private BreakAhead() {}

  /** The brk's sentence, told why the change goes the other way when it does. */
  static Explanation agree(Explanation said, Ctx c) {
    long before = c.sp.brk;
    long r = c.result();
    if (said == null || !c.ok() || before <= 0 || r == before) {
      return said;
    }
    boolean up = r > before;
    for (RegionChange ch : c.changes) {
      Region b = ch.before();
      Region a = ch.after();
      // the model's [heap] ends elsewhere than the last brk put the break only after a snapshot
      // (the area keeps the line of the call that made it: its end is all the snapshot changed)
      if (ch.op() != RegionChange.Op.CHANGED
          || a.end() != r
          || b.start() != a.start()
          || (b.end() > a.end()) != up) {
        continue;
      }
      String text =
          said.text()
              + ". The change shows [heap] "
              + (up ? "shrinking" : "growing")
              + " because the model's [heap] ended at "
              + hex(b.end())
              + ", as a /proc/PID/maps snapshot showed it, not at "
              + hex(before)
              + ", where the last brk in the trace put the break: a snapshot read after strace's"
              + " hold ended can already show the break of later calls";
      List<String> evidence = new ArrayList<>(said.evidence());
      evidence.add("model's [heap] before: " + hex(b.start()) + "-" + hex(b.end()) + " (snapshot)");
      return new Explanation(said.rule(), text, said.basis(), evidence);
    }
    return said;
  }
}
