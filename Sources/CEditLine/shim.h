#ifndef ROSTER_CEDITLINE_SHIM_H
#define ROSTER_CEDITLINE_SHIM_H
/* libedit's native API (histedit.h). Never <readline/readline.h>: on Debian that is GNU readline.
   The library is opened when the REPL starts, not linked: a script run never pays for loading it
   and the libraries it needs (about a tenth of roster's start-up), and a machine without it still
   runs scripts, its REPL reading plain lines. el_set, el_get and history are variadic, which Swift
   cannot call: the wrappers below fix one argument list each. */
#include <stdio.h>
#include <stdlib.h>
#include <dlfcn.h>
#include <histedit.h>

/* The functions roster calls, found in the opened library. */
typedef struct RosterEditLine {
    void *handle;
    EditLine *(*el_init)(const char *, FILE *, FILE *, FILE *);
    void (*el_end)(EditLine *);
    int (*el_set)(EditLine *, int, ...);
    int (*el_get)(EditLine *, int, ...);
    const char *(*el_gets)(EditLine *, int *);
    const LineInfo *(*el_line)(EditLine *);
    int (*el_insertstr)(EditLine *, const char *);
    void (*el_deletestr)(EditLine *, int);
    History *(*history_init)(void);
    void (*history_end)(History *);
    int (*history)(History *, HistEvent *, int, ...);
} RosterEditLine;

/* The opened library's functions. Filled once, by `roster_libedit_open` when the REPL starts, and
   only read after: the table a linked library would have in its relocations. libedit's callbacks
   (the prompt, completion) are given only the editor, so they reach the library through it. Being
   static inline, each object file that calls these has its own table: only LineEditor.swift does. */
static inline RosterEditLine *roster_libedit(void) {
    static RosterEditLine table;
    return &table;
}

/* Opens libedit under the names systems give it; 0 when it is not there or lacks a function (the
   REPL then reads plain lines). */
static inline int roster_libedit_open(void) {
    RosterEditLine *lib = roster_libedit();
    if (lib->handle != NULL) return 1;
    static const char *const names[] = {"libedit.so.2", "libedit.so", "libedit.so.0", "libedit.3.dylib", "libedit.dylib"};
    void *handle = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && handle == NULL; i++) handle = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) return 0;
    RosterEditLine found = {handle};
    *(void **)&found.el_init = dlsym(handle, "el_init");
    *(void **)&found.el_end = dlsym(handle, "el_end");
    *(void **)&found.el_set = dlsym(handle, "el_set");
    *(void **)&found.el_get = dlsym(handle, "el_get");
    *(void **)&found.el_gets = dlsym(handle, "el_gets");
    *(void **)&found.el_line = dlsym(handle, "el_line");
    *(void **)&found.el_insertstr = dlsym(handle, "el_insertstr");
    *(void **)&found.el_deletestr = dlsym(handle, "el_deletestr");
    *(void **)&found.history_init = dlsym(handle, "history_init");
    *(void **)&found.history_end = dlsym(handle, "history_end");
    *(void **)&found.history = dlsym(handle, "history");
    if (!found.el_init || !found.el_end || !found.el_set || !found.el_get || !found.el_gets || !found.el_line || !found.el_insertstr ||
        !found.el_deletestr || !found.history_init || !found.history_end || !found.history) {
        dlclose(handle);
        return 0;
    }
    *lib = found;
    return 1;
}

static inline EditLine *roster_el_init(const char *prog) { return roster_libedit()->el_init(prog, stdin, stdout, stderr); }
static inline void roster_el_end(EditLine *e) { roster_libedit()->el_end(e); }
static inline const char *roster_el_gets(EditLine *e, int *count) { return roster_libedit()->el_gets(e, count); }
static inline int roster_el_insertstr(EditLine *e, const char *s) { return roster_libedit()->el_insertstr(e, s); }
static inline void roster_el_deletestr(EditLine *e, int n) { roster_libedit()->el_deletestr(e, n); }
static inline int roster_el_set_prompt(EditLine *e, char *(*f)(EditLine *)) { return roster_libedit()->el_set(e, EL_PROMPT, f); }
static inline int roster_el_set_editor(EditLine *e, const char *mode) { return roster_libedit()->el_set(e, EL_EDITOR, mode); }
static inline int roster_el_bind(EditLine *e, const char *key, const char *command) {
    return roster_libedit()->el_set(e, EL_BIND, key, command, (const char *)NULL);
}
static inline int roster_el_addfn(EditLine *e, const char *name, const char *help, unsigned char (*f)(EditLine *, int)) {
    return roster_libedit()->el_set(e, EL_ADDFN, name, help, f);
}
static inline int roster_el_set_history(EditLine *e, History *h) { return roster_libedit()->el_set(e, EL_HIST, roster_libedit()->history, h); }
static inline int roster_el_set_clientdata(EditLine *e, void *data) { return roster_libedit()->el_set(e, EL_CLIENTDATA, data); }
static inline int roster_el_set_signal(EditLine *e, int on) { return roster_libedit()->el_set(e, EL_SIGNAL, on); }

static inline History *roster_history_init(void) { return roster_libedit()->history_init(); }
static inline void roster_history_end(History *h) { roster_libedit()->history_end(h); }
static inline int roster_history_setsize(History *h, int n) { HistEvent ev; return roster_libedit()->history(h, &ev, H_SETSIZE, n); }
static inline int roster_history_setunique(History *h, int on) { HistEvent ev; return roster_libedit()->history(h, &ev, H_SETUNIQUE, on); }
static inline int roster_history_enter(History *h, const char *line) { HistEvent ev; return roster_libedit()->history(h, &ev, H_ENTER, line); }
static inline int roster_history_load(History *h, const char *file) { HistEvent ev; return roster_libedit()->history(h, &ev, H_LOAD, file); }
static inline int roster_history_save(History *h, const char *file) { HistEvent ev; return roster_libedit()->history(h, &ev, H_SAVE, file); }

/* The client data an editor carries (the Swift LineEditor). */
static inline void *roster_el_clientdata(EditLine *e) { void *data = NULL; roster_libedit()->el_get(e, EL_CLIENTDATA, &data); return data; }

/* The C streams, reached through functions so Swift never touches the mutable globals. */
static inline FILE *roster_stdout(void) { return stdout; }

/* The edited line: its text up to the cursor and after it. */
static inline const char *roster_el_buffer(EditLine *e) { return roster_libedit()->el_line(e)->buffer; }
static inline long roster_el_cursor(EditLine *e) { const LineInfo *li = roster_libedit()->el_line(e); return (long)(li->cursor - li->buffer); }
static inline long roster_el_length(EditLine *e) { const LineInfo *li = roster_libedit()->el_line(e); return (long)(li->lastchar - li->buffer); }
#endif
