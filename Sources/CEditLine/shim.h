#ifndef ROSTER_CEDITLINE_SHIM_H
#define ROSTER_CEDITLINE_SHIM_H
/* libedit's readline-compatible API. Never <readline/readline.h>: on Debian that is GNU readline. */
#include <stdio.h>
#include <editline/readline.h>
#endif
