<#
.SYNOPSIS
    Cross-compiles the edgelstm runtime for linux-arm64 (Native AOT) and packages it for a Raspberry Pi.

.DESCRIPTION
    Publishes src/EdgeLstm.Runtime as trimmed Native AOT binaries for linux-arm64 from an x64 Linux host, twice:
      edgelstm          the default build (armv8-a + NEON): Raspberry Pi 3, Pi 4, CM4, Pi Zero 2
      edgelstm-dotprod  published with IlcInstructionSet=armv8.2-a,dotprod, for CPUs with the ARM dot-product
                        instructions (sdot): Raspberry Pi 5, CM5. It refuses to start on a CPU without them.
    (Native AOT picks no instruction sets at run time in a size-optimized build, so the sdot kernels exist only in a
    binary compiled for them.) Then it bundles both binaries, a model, a board config, the systemd unit, an install
    script and SHA256SUMS (every file's SHA-256, which the install script checks before it copies anything) into
    artifacts/edgelstm-linux-arm64.tar.gz, writes the tarball's own SHA-256 beside it (.sha256) and prints
    the sizes. The install script installs edgelstm-dotprod as /opt/edgelstm/edgelstm on a board whose
    /proc/cpuinfo lists asimddp among its Features, and edgelstm everywhere else; only one of them is installed.
    With -Target it streams the tarball to a board over ssh into a private folder, checks its SHA-256 there and
    installs it.

    On Linux, run it through the repository's .NET local tool manifest:
        dotnet tool restore
        dotnet pwsh ./publish-arm64.ps1

.PARAMETER Config
    Board config to bundle (default: the embedded demo board, src/EdgeLstm.Runtime/Assets/demo-board.json).
    Replay recordings the config names are bundled beside it.

.PARAMETER Model
    Model file to bundle (default: the runtime's bundled demo model, src/EdgeLstm.Runtime/Assets/demo-model.elstm).

.PARAMETER Output
    Folder for the publish output (publish/linux-arm64 and publish/linux-arm64-dotprod), the bundle folder and the
    tarball (default: artifacts).

.PARAMETER Target
    user@host of a board to install the tarball on (ssh must reach it; the remote user needs sudo without a
    password prompt, as ssh gives it no terminal). The tarball goes into a new mode-0700 folder under that
    user's home, never /tmp, is checked against the SHA-256 computed here, and the folder is removed
    afterwards, on failure too. Without -Target nothing leaves this machine.

.PARAMETER WithOnnxRuntime
    Also bundle ONNX Runtime so .onnx models run on the board (adds ≈ 25 MB): both builds are published with it and
    share the one libonnxruntime.so. Off by default.

.PARAMETER SkipChecks
    Skip the prerequisite check (for hosts set up differently).

.PARAMETER Help
    Show this help and exit.

.EXAMPLE
    dotnet pwsh ./publish-arm64.ps1
.EXAMPLE
    dotnet pwsh ./publish-arm64.ps1 -Config firmware-config/pi4-pump-monitor.json -Model firmware-config/models/pump-lstm.elstm -Target pi@pump-07.local
#>
[CmdletBinding()]
param(
    [string] $Config = 'src/EdgeLstm.Runtime/Assets/demo-board.json',
    [string] $Model = 'src/EdgeLstm.Runtime/Assets/demo-model.elstm',
    [string] $Output = 'artifacts',
    [string] $Target,
    [switch] $WithOnnxRuntime,
    [switch] $SkipChecks,
    [switch] $Help
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot

if ($Help) {
    Get-Help $PSCommandPath -Detailed
    exit 0
}

function Fail([string] $message) {
    [Console]::Error.WriteLine("publish-arm64: $message")
    exit 2
}

function Format-Size([long] $bytes) { '{0:N1} MB' -f ($bytes / 1MB) }

# --- prerequisites -------------------------------------------------------------------------------
# Native AOT for linux-arm64 from x64 needs clang, lld, llvm-objcopy and the arm64 cross glibc (DESIGN.md).
if (-not $SkipChecks) {
    if (-not $IsLinux) { Fail 'cross-compiling linux-arm64 Native AOT is supported from Linux x64 hosts only.' }
    $required = [ordered]@{
        'clang'                      = { Get-Command clang -ErrorAction SilentlyContinue }
        'lld'                        = { Get-Command ld.lld -ErrorAction SilentlyContinue }
        'llvm'                       = { Get-Command llvm-objcopy -ErrorAction SilentlyContinue }
        'binutils-aarch64-linux-gnu' = { Get-Command aarch64-linux-gnu-objcopy -ErrorAction SilentlyContinue }
        'gcc-aarch64-linux-gnu'      = { Get-Command aarch64-linux-gnu-gcc -ErrorAction SilentlyContinue }
        'libc6-dev-arm64-cross'      = { Test-Path '/usr/aarch64-linux-gnu/lib/crt1.o' }
        'zlib1g-dev'                 = { Test-Path '/usr/include/zlib.h' }
    }
    $missing = @($required.Keys | Where-Object { -not (& $required[$_]) })
    if ($missing.Count -gt 0) {
        Fail ("missing Debian packages: $($missing -join ' '). Install them with:`n" +
              "    sudo apt-get install -y $($missing -join ' ')")
    }
    if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) { Fail 'the .NET 10 SDK (dotnet) is not on PATH.' }
}

$configPath = if ([IO.Path]::IsPathRooted($Config)) { $Config } else { Join-Path $root $Config }
$modelPath = if ([IO.Path]::IsPathRooted($Model)) { $Model } else { Join-Path $root $Model }
if (-not (Test-Path $configPath)) { Fail "board config '$Config' does not exist." }
if (-not (Test-Path $modelPath)) { Fail "model '$Model' does not exist." }

# --- publish ------------------------------------------------------------------------------------
$outputDir = Join-Path $root $Output
$publishDir = Join-Path $outputDir 'publish/linux-arm64'
$dotprodPublishDir = Join-Path $outputDir 'publish/linux-arm64-dotprod'
$stageDir = Join-Path $outputDir 'edgelstm'
Remove-Item -Recurse -Force $publishDir, $dotprodPublishDir, $stageDir -ErrorAction SilentlyContinue
New-Item -ItemType Directory -Force $publishDir, $dotprodPublishDir, $stageDir | Out-Null

# Two builds of the one project: the default (armv8-a + NEON, every 64-bit Pi) and one for the dot-product
# instructions (Pi 5). The instruction set is quoted for MSBuild, which would otherwise split the value at its comma.
$builds = @(
    @{ Dir = $publishDir;        Extra = @();                                            What = 'armv8-a + NEON' },
    @{ Dir = $dotprodPublishDir; Extra = @('-p:IlcInstructionSet="armv8.2-a,dotprod"'); What = 'armv8.2-a + dotprod' }
)
foreach ($build in $builds) {
    $publishArgs = @('publish', (Join-Path $root 'src/EdgeLstm.Runtime'), '-c', 'Release', '-r', 'linux-arm64',
                     '-o', $build.Dir, '-nologo', '-v', 'quiet') + $build.Extra
    if ($WithOnnxRuntime) { $publishArgs += '-p:EdgeLstmOnnxRuntime=true' }
    Write-Host "publishing linux-arm64 Native AOT, $($build.What)$(if ($WithOnnxRuntime) { ', with ONNX Runtime' })..."
    & dotnet @publishArgs
    if ($LASTEXITCODE -ne 0) { Fail "dotnet publish ($($build.What)) failed with exit code $LASTEXITCODE." }
}

# --- bundle -------------------------------------------------------------------------------------
Copy-Item (Join-Path $publishDir 'edgelstm') $stageDir
Copy-Item (Join-Path $dotprodPublishDir 'edgelstm') (Join-Path $stageDir 'edgelstm-dotprod')
# Native libraries (libonnxruntime.so with -WithOnnxRuntime) do not depend on the instruction set chosen for the
# AOT-compiled code: one copy, the default build's, serves both binaries (checked here, not assumed).
foreach ($lib in @(Get-ChildItem $dotprodPublishDir -Filter '*.so')) {
    $twin = Join-Path $publishDir $lib.Name
    if (-not (Test-Path $twin) -or (Get-FileHash $twin).Hash -ne (Get-FileHash $lib.FullName).Hash) {
        Fail "the two builds published different copies of $($lib.Name); the bundle has room for one."
    }
}
Get-ChildItem $publishDir -Filter '*.so' | Copy-Item -Destination $stageDir
Copy-Item $modelPath (Join-Path $stageDir 'model.elstm')
# The board config goes in as it is, except that replay recordings it names are bundled beside it.
$boardJson = Get-Content -Raw $configPath | ConvertFrom-Json
foreach ($device in @($boardJson.devices)) {
    if ($device.PSObject.Properties.Name -contains 'file') {
        $recording = if ([IO.Path]::IsPathRooted($device.file)) { $device.file } else { Join-Path (Split-Path $configPath) $device.file }
        if (-not (Test-Path $recording)) { Fail "the replay recording '$($device.file)' named by '$Config' does not exist." }
        Copy-Item $recording $stageDir
        $device.file = Split-Path $recording -Leaf
    }
}
if ($boardJson.PSObject.Properties.Name -contains '$schema') { $boardJson.PSObject.Properties.Remove('$schema') }
$boardJson | ConvertTo-Json -Depth 32 | Set-Content (Join-Path $stageDir 'board.json')
Copy-Item (Join-Path $root 'firmware-config/systemd/edgelstm.service') $stageDir
Copy-Item (Join-Path $root 'README.md') $stageDir
# The installer (firmware-config/install/install.sh) checks every file against SHA256SUMS before it copies anything.
Copy-Item (Join-Path $root 'firmware-config/install/install.sh') $stageDir
& chmod +x (Join-Path $stageDir 'install.sh') (Join-Path $stageDir 'edgelstm') (Join-Path $stageDir 'edgelstm-dotprod')

# Every file's SHA-256, last, in the format `sha256sum -c` reads (hidden files too: install.sh refuses unlisted ones).
$sums = Get-ChildItem -File -Force $stageDir | Sort-Object Name | ForEach-Object {
    '{0}  {1}' -f (Get-FileHash -Algorithm SHA256 $_.FullName).Hash.ToLowerInvariant(), $_.Name
}
[IO.File]::WriteAllText((Join-Path $stageDir 'SHA256SUMS'), (($sums -join "`n") + "`n"))

$tarball = Join-Path $outputDir 'edgelstm-linux-arm64.tar.gz'
& tar -czf $tarball -C $outputDir 'edgelstm'
if ($LASTEXITCODE -ne 0) { Fail 'tar failed.' }
# The tarball's own SHA-256 (SHA256SUMS travels inside it, so only this one, compared out of band, ties it to this build).
$tarballHash = (Get-FileHash -Algorithm SHA256 $tarball).Hash.ToLowerInvariant()
[IO.File]::WriteAllText("$tarball.sha256", "$tarballHash  $(Split-Path $tarball -Leaf)`n")

Write-Host ''
Write-Host 'bundle:'
$forWhom = @{
    'edgelstm'         = 'armv8-a + NEON: Pi 3, Pi 4, CM4, Pi Zero 2'
    'edgelstm-dotprod' = 'armv8.2-a + dotprod: Pi 5, CM5 (install.sh installs it where /proc/cpuinfo has asimddp)'
}
Get-ChildItem $stageDir | Sort-Object Name | ForEach-Object {
    $line = '  {0,-20} {1,10}' -f $_.Name, (Format-Size $_.Length)
    if ($forWhom.ContainsKey($_.Name)) { $line += ('  {0:N0} bytes, {1}' -f $_.Length, $forWhom[$_.Name]) }
    Write-Host $line
}
Write-Host ('  {0,-20} {1,10}' -f (Split-Path $tarball -Leaf), (Format-Size (Get-Item $tarball).Length))
Write-Host "tarball: $tarball"
Write-Host "sha256:  $tarballHash ($(Split-Path $tarball -Leaf).sha256)"

# --- install on a board ---------------------------------------------------------------------------
if ($Target) {
    # One ssh session: firmware-config/install/receive.sh, run by the board's sh, reads the tarball from stdin into a
    # private folder under the remote user's home, checks it against $tarballHash, runs install.sh, removes the folder.
    $receive = (Get-Content -Raw (Join-Path $root 'firmware-config/install/receive.sh')).Replace("`r`n", "`n")
    $remote = "sh -c '{0}' receive.sh {1}" -f $receive.Replace("'", "'\''"), $tarballHash
    Write-Host "installing on $Target over ssh..."
    & sh -c 'exec ssh -- "$1" "$2" < "$3"' publish-arm64 $Target $remote $tarball
    if ($LASTEXITCODE -ne 0) { Fail "installing on $Target failed with exit code $LASTEXITCODE (see the output above)." }
    Write-Host "installed on $Target."
}
exit 0
