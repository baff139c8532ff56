// Placeholder entry point; the emulator issue replaces it.
Console.WriteLine("EdgeKv emulator");
