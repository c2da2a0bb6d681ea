"""The reporting chain from district to province to department: who coordinates it."""
