#include "roster.h"
// Implementation in progress (helper).
