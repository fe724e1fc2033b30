// Placeholder until the analyze/check subcommands land (same session).
int main() { return 0; }
