/* Everything is in include/CProcessor.h (inline); a C target needs one source file. */
#include "CProcessor.h"
