using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace EdgeKv.Browser.Tests;

/// <summary>
/// Debian's Chromium driven by Playwright (never a downloaded browser): <c>/usr/bin/chromium</c>, or
/// <c>EDGEKV_CHROMIUM</c>. One browser per test class; each page gets its own context (its own sessionStorage, so its
/// own sign-in) and records console errors and page errors, which a test asserts are none.
/// </summary>
internal sealed class BrowserSession : IAsyncDisposable
{
    private readonly IPlaywright playwright;

    private BrowserSession(IPlaywright playwright, IBrowser browser, Uri baseAddress)
    {
        this.playwright = playwright;
        Browser = browser;
        BaseAddress = baseAddress;
    }

    public IBrowser Browser { get; }

    public Uri BaseAddress { get; }

    public static async Task<BrowserSession> StartAsync(Uri baseAddress)
    {
        string chromium = Environment.GetEnvironmentVariable("EDGEKV_CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(chromium)) Assert.Fail($"{chromium} is missing: `bash .ci/install` installs Debian's chromium.");
        // Bounds on a hang, not timings, and the only ones the tests use: on a busy machine a page can take minutes to
        // show what a test waits for (Playwright's defaults are 5 s for an expectation and 30 s for an action).
        Assertions.SetDefaultExpectTimeout(180_000);
        IPlaywright playwright = await Playwright.CreateAsync();
        try
        {
            IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true });
            return new BrowserSession(playwright, browser, baseAddress);
        }
        catch
        {
            playwright.Dispose(); // ends Playwright's driver (node), which closes any browser it launched
            throw;
        }
    }

    /// <summary>
    /// A fresh context and page at <paramref name="width"/> px, signed in as <paramref name="principal"/> through the
    /// sign-in page of the dashboard at <paramref name="at"/> (the local host's <c>/</c>, or <c>/api/dashboard/</c> as
    /// Azure serves it).
    /// </summary>
    public async Task<DashboardPage> SignInAsync(string principal, int width = 1280, int height = 900, string at = "/")
    {
        IBrowserContext context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(300_000);
        IPage page = await context.NewPageAsync();
        var result = new DashboardPage(context, page, at);
        await page.GotoAsync(at);
        await page.Locator($"button[data-principal='{principal}']").ClickAsync();
        await Assertions.Expect(page.GetByTestId("who")).ToContainTextAsync(principal);
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
    }
}

/// <summary>A signed-in page and the console errors it logged.</summary>
internal sealed class DashboardPage : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> errors = new();

    private readonly string at;

    public DashboardPage(IBrowserContext context, IPage page, string at = "/")
    {
        this.at = at;
        Context = context;
        Page = page;
        page.Console += (_, message) => { if (message.Type == "error") errors.Enqueue($"{message.Text} ({message.Location})"); };
        page.PageError += (_, error) => errors.Enqueue(error);
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public IReadOnlyCollection<string> ConsoleErrors => errors;

    public Task GoAsync(string hash) => Page.GotoAsync(at + hash);

    /// <summary>Saves a screenshot when EDGEKV_SCREENSHOTS names a folder (how docs/*.png are made).</summary>
    public async Task ScreenshotAsync(string name)
    {
        if (Environment.GetEnvironmentVariable("EDGEKV_SCREENSHOTS") is not { Length: > 0 } folder) return;
        Directory.CreateDirectory(folder);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name), FullPage = true });
    }

    public void AssertNoConsoleErrors() =>
        Assert.IsEmpty(errors, "console errors: " + string.Join(" | ", errors));

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();
}
