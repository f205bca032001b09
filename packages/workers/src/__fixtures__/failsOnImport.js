// An env module whose import fails (as a module with a typo or a missing dependency would).
throw new Error('this env module fails to import on purpose');
