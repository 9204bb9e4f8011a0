<#
.SYNOPSIS
    Cross-compiles the edgelstm runtime for linux-arm64 (Native AOT) and packages it for a Raspberry Pi.

.DESCRIPTION
    Publishes src/EdgeLstm.Runtime as a trimmed Native AOT binary for linux-arm64 from an x64 Linux host,
    then bundles the binary, a model, a board config, the systemd unit and an install script into
    artifacts/edgelstm-linux-arm64.tar.gz and prints the sizes. With -Target it copies the tarball to a
    board over ssh and installs it there.

    On Linux, run it through the repository's .NET local tool manifest:
        dotnet tool restore
        dotnet pwsh ./publish-arm64.ps1

.PARAMETER Config
    Board config to bundle (default: the embedded demo board, src/EdgeLstm.Runtime/Assets/demo-board.json).
    Replay recordings the config names are bundled beside it.

.PARAMETER Model
    Model file to bundle (default: the runtime's bundled demo model, src/EdgeLstm.Runtime/Assets/demo-model.elstm).

.PARAMETER Output
    Folder for the publish output and the tarball (default: artifacts).

.PARAMETER Target
    user@host of a board to copy the tarball to and install it on (ssh and scp must reach it; the remote
    user needs sudo). Without it nothing leaves this machine.

.PARAMETER WithOnnxRuntime
    Also bundle ONNX Runtime so .onnx models run on the board (adds ≈ 25 MB). Off by default.

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
$stageDir = Join-Path $outputDir 'edgelstm'
Remove-Item -Recurse -Force $publishDir, $stageDir -ErrorAction SilentlyContinue
New-Item -ItemType Directory -Force $publishDir, $stageDir | Out-Null

$publishArgs = @('publish', (Join-Path $root 'src/EdgeLstm.Runtime'), '-c', 'Release', '-r', 'linux-arm64',
                 '-o', $publishDir, '-nologo', '-v', 'quiet')
if ($WithOnnxRuntime) { $publishArgs += '-p:EdgeLstmOnnxRuntime=true' }
Write-Host "publishing linux-arm64 Native AOT$(if ($WithOnnxRuntime) { ' with ONNX Runtime' })..."
& dotnet @publishArgs
if ($LASTEXITCODE -ne 0) { Fail "dotnet publish failed with exit code $LASTEXITCODE." }

# --- bundle -------------------------------------------------------------------------------------
Copy-Item (Join-Path $publishDir 'edgelstm') $stageDir
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
@'
#!/bin/sh
# Installs edgelstm from this folder: binary and model in /opt/edgelstm, config in /etc/edgelstm,
# a system user in the gpio/i2c/spi groups, and the systemd unit (enabled and started).
set -eu
cd "$(dirname "$0")"
id edgelstm >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin edgelstm
for g in gpio i2c spi; do getent group "$g" >/dev/null && usermod -aG "$g" edgelstm; done
install -d /opt/edgelstm /etc/edgelstm
install -m 0755 edgelstm /opt/edgelstm/edgelstm
for lib in *.so; do [ -e "$lib" ] && install -m 0644 "$lib" /opt/edgelstm/; done
install -m 0644 model.elstm README.md /opt/edgelstm/
[ -e /etc/edgelstm/board.json ] && cp /etc/edgelstm/board.json /etc/edgelstm/board.json.previous
install -m 0644 board.json /etc/edgelstm/board.json
for recording in *.csv; do [ -e "$recording" ] && install -m 0644 "$recording" /etc/edgelstm/; done
/opt/edgelstm/edgelstm validate --config /etc/edgelstm/board.json --model /opt/edgelstm/model.elstm
install -m 0644 edgelstm.service /etc/systemd/system/edgelstm.service
systemctl daemon-reload
systemctl enable --now edgelstm.service
systemctl restart edgelstm.service
echo "edgelstm installed; follow it with: journalctl -u edgelstm -f"
'@.Replace("`r`n", "`n") | Set-Content -NoNewline (Join-Path $stageDir 'install.sh')
& chmod +x (Join-Path $stageDir 'install.sh') (Join-Path $stageDir 'edgelstm')

$tarball = Join-Path $outputDir 'edgelstm-linux-arm64.tar.gz'
& tar -czf $tarball -C $outputDir 'edgelstm'
if ($LASTEXITCODE -ne 0) { Fail 'tar failed.' }

Write-Host ''
Write-Host 'bundle:'
Get-ChildItem $stageDir | Sort-Object Name | ForEach-Object { Write-Host ('  {0,-20} {1,10}' -f $_.Name, (Format-Size $_.Length)) }
Write-Host ('  {0,-20} {1,10}' -f (Split-Path $tarball -Leaf), (Format-Size (Get-Item $tarball).Length))
Write-Host "tarball: $tarball"

# --- install on a board ---------------------------------------------------------------------------
if ($Target) {
    Write-Host "copying to $Target..."
    & scp $tarball "${Target}:/tmp/edgelstm-linux-arm64.tar.gz"
    if ($LASTEXITCODE -ne 0) { Fail "scp to $Target failed." }
    & ssh $Target 'set -e; cd /tmp && tar -xzf edgelstm-linux-arm64.tar.gz && sudo sh /tmp/edgelstm/install.sh'
    if ($LASTEXITCODE -ne 0) { Fail "installing on $Target failed (see the output above)." }
    Write-Host "installed on $Target."
}
exit 0
