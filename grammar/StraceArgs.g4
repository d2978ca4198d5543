/*
 * The value language of strace's argument decoders (strace 6.x: print_fields.h, util.c,
 * xlat.c), as strace-format.md section 5 describes it: numbers, quoted strings with C escapes
 * and a "..." truncation mark, flag sets joined by '|', structs {name=value, ...}, arrays
 * [a, b], indexed elements [IDX]=value, bitsets [USR1 TERM] and ~[...], function-like values
 * makedev(1, 3) / htons(80) / inet_addr("..."), -y fd decorations 3</path>, comments
 * (-X verbose, envp and dirent summaries), "before => after" changes and C-like expressions
 * (8192*1024, WIFEXITED(s) && WEXITSTATUS(s) == 0).
 *
 * The rule callRecord describes the body of a syscall record after its prefix (section 2):
 * NAME(ARGS) = RETURN, then in strace's order an errno name and message, an auxiliary string,
 * tampering notes and the -T time.
 *
 * The shapes of whole lines (the leader, unfinished and resumed halves, signals, exits, notices,
 * -k frames, dumps, -c tables) are StraceLineLexer.g4 and StraceLineParser.g4.
 *
 * The fast path in trace/ reads lines without this grammar. The grammar builds the typed tree
 * of one argument (or a siginfo) on demand, reads the call records the fast path rejects, and
 * is, with StraceLineParser.g4, the oracle the fast path is tested against.
 */
grammar StraceArgs;

/**
 * One value: an argument, a struct field's value, a signal's siginfo. Some decoders name their
 * top-level arguments (clone: child_stack=NULL, flags=...).
 */
single
  : (name=IDENT '=')? arg EOF
  ;

/** The body of a syscall record after its prefix. */
callRecord
  : name=IDENT '(' (callArg (',' callArg)*)? ')' '=' retval suffix* EOF
  ;

/** A top-level argument; some decoders name theirs (clone: flags=...). */
callArg
  : (IDENT '=')? arg
  ;

retval
  : '?'
  | NUMBER DECOR?
  ;

suffix
  : IDENT group?                                # errnoSuffix
  | group                                       # groupSuffix
  | DECOR                                       # timeSuffix
  | COMMENT                                     # commentSuffix
  ;

/** Parenthesised text after the return value: an error message, an auxstr, a note. */
group
  : '(' (group | ~('(' | ')'))* ')'
  ;

/** A whole argument list (the text between a call's parentheses). */
argList
  : (arg (',' arg)*)? EOF
  ;

arg
  : expr (ARROW expr)?
  ;

/** A leading '|' is what -X raw prints for a zero value with leftover bits (statx: |0x900). */
expr
  : lead='|'? unary (binop unary)*
  ;

binop
  : '|' | '+' | '*' | '-' | SHIFT | '&&' | '||' | '==' | '!=' | '&' | '/'
  ;

unary
  : prefixOp=('~' | '&' | '@' | '!')? primary ELLIPSIS? COMMENT?
  ;

primary
  : NUMBER DECOR?                               # number
  | IDENT DECOR?                                # symbol
  | STRING                                      # string
  | IDENT '(' (arg (',' arg)*)? ')'             # call
  | '{' (field (',' field)*)? '}'               # struct
  | '[' element (element)+ ']'                  # bitset
  | '[' (item (',' item)*)? ']'                 # array
  | '(' arg ')'                                 # paren
  | ELLIPSIS                                    # ellipsis
  | UNAVAILABLE                                 # unavailable
  | DECOR                                       # note
  | COMMENT                                     # onlyComment
  ;

/** A bitset member: a name, a number, or under -X verbose both (2 followed by the comment INT). */
element
  : (IDENT | NUMBER) COMMENT?
  ;

field
  : IDENT '=' arg                               # namedField
  | arg                                         # positionalField
  ;

item
  : '[' expr ']' '=' arg                        # indexedItem
  | arg                                         # plainItem
  ;

STRING      : '"' ( ~["\\] | '\\' . )* '"' ;
COMMENT     : '/*' .*? '*/' ;
DECOR       : '<' ( DECOR | '->' | '\\' . | ~[<>\\] )* '>' '(deleted)'? ;
SHIFT       : '<<' ;
ARROW       : '=>' ;
ELLIPSIS    : '...' ;
UNAVAILABLE : '???' ;
NUMBER      : '-'? [0-9] [0-9a-fA-FxX]* ;
IDENT       : [A-Za-z_] [A-Za-z0-9_]* ;
WS          : [ \t]+ -> skip ;
/** Anything else is a token too, so lexing never fails; the parser reports the error. */
OTHER       : . ;
