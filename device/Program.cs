// Placeholder entry point; the activation issue replaces it.
Console.WriteLine("edgekv-device");
