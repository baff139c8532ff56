Console.WriteLine("EdgeKv bench");
