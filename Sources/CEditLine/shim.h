#ifndef ROSTER_CEDITLINE_SHIM_H
#define ROSTER_CEDITLINE_SHIM_H
/* libedit's native API (histedit.h). Never <readline/readline.h>: on Debian that is GNU readline.
   el_set, el_get and history are variadic, which Swift cannot call: these wrappers fix one
   argument list each. */
#include <stdio.h>
#include <histedit.h>

static inline EditLine *roster_el_init(const char *prog) { return el_init(prog, stdin, stdout, stderr); }
static inline int roster_el_set_prompt(EditLine *e, char *(*f)(EditLine *)) { return el_set(e, EL_PROMPT, f); }
static inline int roster_el_set_editor(EditLine *e, const char *mode) { return el_set(e, EL_EDITOR, mode); }
static inline int roster_el_bind(EditLine *e, const char *key, const char *command) { return el_set(e, EL_BIND, key, command, (const char *)NULL); }
static inline int roster_el_addfn(EditLine *e, const char *name, const char *help, unsigned char (*f)(EditLine *, int)) {
    return el_set(e, EL_ADDFN, name, help, f);
}
static inline int roster_el_set_history(EditLine *e, History *h) { return el_set(e, EL_HIST, history, h); }
static inline int roster_el_set_clientdata(EditLine *e, void *data) { return el_set(e, EL_CLIENTDATA, data); }
static inline void *roster_el_clientdata(EditLine *e) { void *data = NULL; el_get(e, EL_CLIENTDATA, &data); return data; }
static inline int roster_el_set_signal(EditLine *e, int on) { return el_set(e, EL_SIGNAL, on); }

static inline History *roster_history_init(void) { return history_init(); }
static inline int roster_history_setsize(History *h, int n) { HistEvent ev; return history(h, &ev, H_SETSIZE, n); }
static inline int roster_history_setunique(History *h, int on) { HistEvent ev; return history(h, &ev, H_SETUNIQUE, on); }
static inline int roster_history_enter(History *h, const char *line) { HistEvent ev; return history(h, &ev, H_ENTER, line); }
static inline int roster_history_load(History *h, const char *file) { HistEvent ev; return history(h, &ev, H_LOAD, file); }
static inline int roster_history_save(History *h, const char *file) { HistEvent ev; return history(h, &ev, H_SAVE, file); }

/* The C streams, reached through functions so Swift never touches the mutable globals. */
static inline FILE *roster_stdout(void) { return stdout; }

/* The edited line: its text up to the cursor and after it. */
static inline const char *roster_el_buffer(EditLine *e) { return el_line(e)->buffer; }
static inline long roster_el_cursor(EditLine *e) { const LineInfo *li = el_line(e); return (long)(li->cursor - li->buffer); }
static inline long roster_el_length(EditLine *e) { const LineInfo *li = el_line(e); return (long)(li->lastchar - li->buffer); }
#endif
