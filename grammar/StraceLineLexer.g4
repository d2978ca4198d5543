/*
 * The tokens of one physical line of an strace log (strace-format.md sections 1 to 4, 7 and 8),
 * for the parser grammar StraceLineParser. Spaces are tokens here (SP): the leader's parts, the
 * "= " before a return value and the suffixes after it are told apart by their spacing. The
 * argument values inside a call are lexed only as far as the line needs: strings, comments, fd
 * decorations and brackets are units, so that the ')' closing the list and the ',' between
 * arguments are found; their typed language is grammar/StraceArgs.g4.
 *
 * Lines that strace prints without a leader and whose text is not strace's own (a -k frame's raw
 * path, a -e read=/write= dump's characters, a notice's message) are lexed in modes of their own,
 * entered only at the start of the line.
 */
lexer grammar StraceLineLexer;

@header {
import org.antlr.v4.runtime.misc.Interval;
}

@members {
  /** A line that starts with a leader, a frame, a dump or a record mark is not a notice. */
  private boolean startsNotice() {
    int c = _input.getText(Interval.of(0, 0)).charAt(0);
    return c != '[' && c != ' ' && c != '<' && c != '+' && (c < '0' || c > '9');
  }
}

// --- Lines that start with a fixed mark (only at the start of a line) ---

/** A -k frame: " > " then a path printed raw (unwind.c). */
FRAME_START : ' > ' {_tokenStartCharIndex == 0}? -> pushMode(FRAME) ;

/**
 * A data dump line up to its last byte (util.c dumpstr): " | ", a 5-digit hex offset, two spaces,
 * 1 to 16 bytes as two hex digits and a space, with one more space after the eighth.
 */
DUMP_BYTES : ' | ' H H H H H '  ' B8 {_tokenStartCharIndex == 0}? -> pushMode(DUMP) ;

/** The header before each buffer of a vector call's dump (util.c dumpiov). */
DUMP_BUFFER : ' * ' D+ ' bytes in buffer ' D+ {_tokenStartCharIndex == 0}? ;

/** strace's own message, after its argv[0] as typed: "strace: " or "/usr/bin/strace: ". */
NOTICE_START
  : (~[ \n]* '/')? 'strace: ' {_tokenStartCharIndex == 0 && startsNotice()}? -> pushMode(NOTICE)
  ;

// --- Record marks (strace.c, syscall.c) ---

PID_OPEN     : '[pid' ' '+ ;
PERSONALITY  : '[ Process PID=' ~[\n]* ' ]' ;
UNFINISHED   : ' <unfinished ...>' ;
DETACHED     : ' <detached ...>' ;
PID_CHANGED  : ' <pid changed to ' ~[\n]*? ' ...>' ;
RESUMED      : '<... ' ~[\n]*? ' resumed>' ;
STOPPED_BY   : '--- stopped by ' ;
SIG_OPEN     : '--- ' ;
/** The closing marks are the end of their line; elsewhere ' +++' is a space and text. */
SIG_CLOSE    : ' ---' {_input.LA(1) == EOF}? ;
EXITED_WITH  : '+++ exited with ' ;
KILLED_BY    : '+++ killed by ' ;
SUPERSEDED   : '+++ superseded by execve in pid ' ;
CORE_DUMPED  : ' (core dumped)' ;
EXIT_CLOSE   : ' +++' {_input.LA(1) == EOF}? ;
REL_OPEN     : '(+' ;
SUMMARY_TITLE : 'System call usage summary for ' ~[\n]* ':' ;

// --- Words and numbers ---

/** -t/-tt: HH:MM:SS with an optional fraction. */
TIME        : D D ':' D D ':' D D ('.' D*)? ;
/** -ttt, -r: seconds with a fraction. */
DECIMAL     : D+ '.' D* ;
NUMBER      : '-'? D [0-9a-fA-FxX]* ;
NAME        : [a-z_] [a-z0-9_]* ;
ERRNO       : 'E' [A-Z0-9_]* ;
SIGNAL      : 'SIG' [A-Za-z0-9_]* ;
WORD        : [A-Za-z0-9_]+ ;
/** A word with its -y decoration: 3</etc/passwd>, AT_FDCWD</home>, 12<sh> after a pid. */
DECORATED   : [A-Za-z0-9_]+ DECOR ;
/** The -T time, or <unavailable> when strace could not read it. */
DURATION    : '<' D+ ('.' D*)? '>' | '<unavailable' ~[>\n]* '>' ;
STRING      : '"' ( ~["\\\n] | '\\' . )* '"' ;
/** A string the line ends inside of (a cut-off last line, a split stderr-mode line). */
CUT_STRING  : '"' ( ~["\\\n] | '\\' . )* ;
COMMENT     : '/*' .*? '*/' ;
CUT_COMMENT : '/*' ( ~[*\n] | '*'+ ~[*/\n] )* '*'* ;
QMARKS      : '?'+ ;
DASHES      : '-'+ ;

LP    : '(' ;
RP    : ')' ;
LB    : '[' ;
RB    : ']' ;
LC    : '{' ;
RC    : '}' ;
COMMA : ',' ;
EQ    : '=' ;
SP    : ' ' ;
/** Anything else is a token too, so lexing never fails; the parser reports the error. */
OTHER : . ;

fragment D : [0-9] ;
fragment H : [0-9a-f] ;
fragment B : H H ' ' ;
/** One to sixteen bytes, with a second space after the eighth. */
fragment B8 : B (B (B (B (B (B (B (B (' ' B16)?)?)?)?)?)?)?)? ;
fragment B16 : B (B (B (B (B (B (B B?)?)?)?)?)?)? ;

/**
 * A -y decoration: <...> with nested <...> (a device's <char 1:3>), '->' between the ends of a
 * socket, backslash escapes, and a trailing "(deleted)". It never starts with a second '<'
 * (1<<20 is a shift).
 */
fragment DECOR
  : '<' ( (~[<>\\\n] | '\\' . | '->') (DECOR | '->' | '\\' . | ~[<>\\\n])* )? '>' '(deleted)'?
  ;

mode FRAME;

/** The file offset at the end: " [0x1ab70]". */
FRAME_OFFSET : ' [0x' [0-9a-fA-F]+ ']' ;
/** The end of a symbol: "+0x26f0)". */
FRAME_SYMBOL_END : '+0x' [0-9a-fA-F]+ ')' ;
FRAME_LP   : '(' ;
FRAME_RP   : ')' ;
FRAME_CHAR : ~[()\n] ;

mode DUMP;

/** The bytes again as characters, and the closing " |". */
DUMP_TEXT : ~[\n]* ' |' ;
DUMP_CHAR : ~[\n] ;

mode NOTICE;

NOTICE_ATTACHED : 'Process ' [0-9]+ ' attached' ;
NOTICE_DETACHED : 'Process ' [0-9]+ ' detached' ;
NOTICE_CHAR     : ~[\n] ;
