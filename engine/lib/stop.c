#include "lib/stop.h"

atomic_int engine_stop;
