<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AccessBar</name>
    <message>
        <location filename="../controls/AccessBar.qml" line="64"/>
        <location filename="../controls/AccessBar.qml" line="68"/>
        <source>字号</source>
        <translation>Text</translation>
    </message>
    <message>
        <location filename="../controls/AccessBar.qml" line="71"/>
        <source>标准</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location filename="../controls/AccessBar.qml" line="71"/>
        <source>大</source>
        <translation>Large</translation>
    </message>
    <message>
        <location filename="../controls/AccessBar.qml" line="71"/>
        <source>特大</source>
        <translation>X-large</translation>
    </message>
    <message>
        <location filename="../controls/AccessBar.qml" line="78"/>
        <source>字号：%1</source>
        <translation>Text size: %1</translation>
    </message>
    <message>
        <location filename="../controls/AccessBar.qml" line="85"/>
        <source>高对比度</source>
        <translation>High contrast</translation>
    </message>
    <message>
        <location filename="../controls/AccessBar.qml" line="93"/>
        <source>朗读</source>
        <translation>Read aloud</translation>
    </message>
    <message>
        <location filename="../controls/AccessBar.qml" line="106"/>
        <source>耳机</source>
        <translation>Headphones</translation>
    </message>
</context>
<context>
    <name>ActionDialog</name>
    <message>
        <location filename="../staff/ActionDialog.qml" line="20"/>
        <source>%1（演练）</source>
        <translation>%1 (rehearsal)</translation>
    </message>
    <message>
        <location filename="../staff/ActionDialog.qml" line="51"/>
        <source>开始“%1”？</source>
        <translation>Open “%1”?</translation>
    </message>
    <message>
        <location filename="../staff/ActionDialog.qml" line="52"/>
        <source>暂停“%1”？</source>
        <translation>Pause “%1”?</translation>
    </message>
    <message>
        <location filename="../staff/ActionDialog.qml" line="53"/>
        <source>继续“%1”？</source>
        <translation>Resume “%1”?</translation>
    </message>
    <message>
        <location filename="../staff/ActionDialog.qml" line="54"/>
        <source>在本会场所有终端结束“%1”？</source>
        <translation>End “%1” at every kiosk of this venue?</translation>
    </message>
    <message>
        <location filename="../staff/ActionDialog.qml" line="55"/>
        <source>结束“%1”？</source>
        <translation>Close “%1”?</translation>
    </message>
    <message>
        <location filename="../staff/ActionDialog.qml" line="68"/>
        <source>全会场已投 %1 / 应到 %2</source>
        <translation>Venue: %1 voted / %2 invited</translation>
    </message>
    <message>
        <location filename="../staff/ActionDialog.qml" line="69"/>
        <source>已投 %1 / 应到 %2</source>
        <translation>Voted %1 / invited %2</translation>
    </message>
    <message>
        <location filename="../staff/ActionDialog.qml" line="81"/>
        <source>已签到 %1</source>
        <translation>Checked in %1</translation>
    </message>
    <message>
        <location filename="../staff/ActionDialog.qml" line="89"/>
        <source>开始后，代表即可在本机评议。本机将生成零报告，证明此时没有任何选票。</source>
        <translation>Once open, representatives can vote at this kiosk. The kiosk makes a zero report showing that it holds no ballots yet.</translation>
    </message>
    <message>
        <location filename="../staff/ActionDialog.qml" line="90"/>
        <source>这是演练场次，投票不计入正式结果。</source>
        <translation> This is a rehearsal: its votes are not counted.</translation>
    </message>
    <message>
        <location filename="../staff/ActionDialog.qml" line="91"/>
        <source>暂停期间，代表不能开始新的评议。</source>
        <translation>While paused, no representative can start voting.</translation>
    </message>
    <message>
        <location filename="../staff/ActionDialog.qml" line="92"/>
        <source>继续后，代表可以再次开始评议。</source>
        <translation>Representatives can start voting again.</translation>
    </message>
    <message>
        <location filename="../staff/ActionDialog.qml" line="93"/>
        <source>本会场每台终端都将结束这一场评议：空闲的终端马上结束，有代表正在评议的终端等其投完再结束，结束前不再接受新的签到。结束后不能再投票，也不能重新开始。每台终端各自生成结束报告，然后请逐台把数据导出到U盘。</source>
        <translation>Every kiosk of this venue will end this session: idle kiosks at once, a kiosk where someone is voting once they finish; until then no new check-ins. After that no one can vote and the session cannot be started again. Each kiosk makes its own closing report; then export each kiosk&apos;s data to a USB drive.</translation>
    </message>
    <message>
        <location filename="../staff/ActionDialog.qml" line="95"/>
        <source>结束后不能再投票，也不能重新开始。本机将生成结束报告，然后请把数据导出到U盘。</source>
        <translation>After closing no one can vote and it cannot be reopened. The kiosk makes the closing report; then export to a USB drive.</translation>
    </message>
    <message>
        <location filename="../staff/ActionDialog.qml" line="94"/>
        <location filename="../staff/ActionDialog.qml" line="96"/>
        <source>还有 %1 位代表没有投票。</source>
        <translation>%1 have not voted.</translation>
    </message>
    <message>
        <location filename="../staff/ActionDialog.qml" line="102"/>
        <source>确定要结束，请按住红色按钮2秒。</source>
        <translation>To close, hold the red button for 2 s.</translation>
    </message>
    <message>
        <location filename="../staff/ActionDialog.qml" line="130"/>
        <source>按住结束评议</source>
        <translation>Hold to close</translation>
    </message>
    <message>
        <location filename="../staff/ActionDialog.qml" line="119"/>
        <source>开始</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../staff/ActionDialog.qml" line="120"/>
        <source>暂停</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../staff/ActionDialog.qml" line="121"/>
        <source>继续</source>
        <translation>Resume</translation>
    </message>
    <message>
        <location filename="../staff/ActionDialog.qml" line="130"/>
        <source>按住结束全部终端</source>
        <translation>Hold to end at every kiosk</translation>
    </message>
    <message>
        <location filename="../staff/ActionDialog.qml" line="138"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>CameraPreview</name>
    <message>
        <location filename="../identify/CameraPreview.qml" line="158"/>
        <source>号码</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../identify/CameraPreview.qml" line="188"/>
        <source>摄像头正在启动…</source>
        <translation>The camera is starting…</translation>
    </message>
</context>
<context>
    <name>CancelOverlay</name>
    <message>
        <location filename="../ballot/CancelOverlay.qml" line="12"/>
        <source>确定要退出评议吗？</source>
        <translation>Leave the ballot?</translation>
    </message>
    <message>
        <location filename="../ballot/CancelOverlay.qml" line="13"/>
        <source>退出后，您已填写的内容不会保存，也不会计入结果。您可以重新核验身份后再评议。</source>
        <translation>Your answers will not be kept or counted. You can check in again and vote later.</translation>
    </message>
    <message>
        <location filename="../ballot/CancelOverlay.qml" line="14"/>
        <source>继续评议</source>
        <translation>Keep voting</translation>
    </message>
    <message>
        <location filename="../ballot/CancelOverlay.qml" line="15"/>
        <source>退出评议</source>
        <translation>Leave the ballot</translation>
    </message>
</context>
<context>
    <name>CandidateBar</name>
    <message>
        <location filename="../keyboard/CandidateBar.qml" line="34"/>
        <source>接着写：</source>
        <translation>Next:</translation>
    </message>
    <message>
        <location filename="../keyboard/CandidateBar.qml" line="47"/>
        <source>用下面的键盘输入拼音，再点选汉字</source>
        <translation>Type Pinyin below, then tap the characters you mean</translation>
    </message>
    <message>
        <location filename="../keyboard/CandidateBar.qml" line="47"/>
        <source>拼音输入不可用，请用英文字母或数字</source>
        <translation>Pinyin is not available: please use letters or digits</translation>
    </message>
</context>
<context>
    <name>ConfirmScreen</name>
    <message>
        <location filename="../ballot/ConfirmScreen.qml" line="9"/>
        <location filename="../ballot/ConfirmScreen.qml" line="70"/>
        <source>确认提交</source>
        <translation>Cast my ballot</translation>
    </message>
    <message>
        <location filename="../ballot/ConfirmScreen.qml" line="10"/>
        <source>确认提交评议票吗？提交后将不能再修改。您的评议是无记名的，任何人都无法知道您的选择。</source>
        <translation>Cast your ballot now? It cannot be changed afterwards. Your ballot is anonymous: nobody can know your choices.</translation>
    </message>
    <message>
        <location filename="../ballot/ConfirmScreen.qml" line="29"/>
        <source>确认提交评议票吗？</source>
        <translation>Cast your ballot now?</translation>
    </message>
    <message>
        <location filename="../ballot/ConfirmScreen.qml" line="36"/>
        <source>提交后将不能再修改。您的评议是无记名的，任何人都无法知道您的选择。</source>
        <translation>It cannot be changed afterwards. Your ballot is anonymous: nobody can know your choices.</translation>
    </message>
    <message>
        <location filename="../ballot/ConfirmScreen.qml" line="44"/>
        <source>评议票未能提交</source>
        <translation>The ballot was not cast</translation>
    </message>
    <message>
        <location filename="../ballot/ConfirmScreen.qml" line="46"/>
        <source>本次签到已失效。请返回首页重新核验身份，或请工作人员协助。</source>
        <translation>Your check-in has ended. Please start again from the first screen, or ask the staff for help.</translation>
    </message>
    <message>
        <location filename="../ballot/ConfirmScreen.qml" line="49"/>
        <source>存储空间已满，选票未保存，请联系工作人员。您的签到仍然有效，腾出空间后可再点“确认提交”。</source>
        <translation>The kiosk&apos;s storage is full: your ballot was NOT saved. Please ask the staff for help. Your check-in still holds: once space is freed, tap “Cast my ballot” again.</translation>
    </message>
    <message>
        <location filename="../ballot/ConfirmScreen.qml" line="50"/>
        <source>请再点一次“确认提交”。如果仍然不行，请联系工作人员。（%1）</source>
        <translation>Please tap “Cast my ballot” again. If it still fails, please ask the staff. (%1)</translation>
    </message>
    <message>
        <location filename="../ballot/ConfirmScreen.qml" line="61"/>
        <source>返回修改</source>
        <translation>Go back and change</translation>
    </message>
</context>
<context>
    <name>DashboardScreen</name>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="13"/>
        <source>工作人员控制台</source>
        <translation>Staff console</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="166"/>
        <source>已签到 %1，已投 %2 / 应到 %3</source>
        <translation>In %1, voted %2 / %3</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="167"/>
        <source>应到 %1</source>
        <translation>Invited %1</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="272"/>
        <source>代表现在可以评议。</source>
        <translation>Representatives can vote now.</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="273"/>
        <source>代表现在不能开始评议。点“继续评议”恢复。</source>
        <translation>Voting is paused. Tap “Resume” to continue.</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="274"/>
        <source>本会场的正式场次已全部结束。请把数据导出到U盘。</source>
        <translation>All sessions here are closed. Export them to a USB drive.</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="275"/>
        <source>上一场已结束。请在下方开始下一场。</source>
        <translation>The last session is closed. Start the next below.</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="276"/>
        <source>请在下方开始本场评议。</source>
        <translation>Start the session below.</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="325"/>
        <source>会场</source>
        <translation>Venue</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="326"/>
        <source>终端</source>
        <translation>Kiosk</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="327"/>
        <source>数据包版本</source>
        <translation>Package version</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="328"/>
        <source>本会场代表</source>
        <translation>Representatives here</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="328"/>
        <source>%1 人</source>
        <translation>%1</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="384"/>
        <source>会场终端</source>
        <translation>Venue kiosks</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="389"/>
        <source>会场网络</source>
        <translation>Venue network</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="390"/>
        <source>正常</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="390"/>
        <source>不可用</source>
        <translation>Down</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="396"/>
        <source>本机正在离线签到，%1 条记录待上传</source>
        <translation>Offline check-in: %1 to upload</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="405"/>
        <source>网络不通时签到会被拒绝。请检查网线和交换机；需要继续评议时，请现场负责人改为离线签到。</source>
        <translation>Check-in is refused while the network is down. Check cables and switch; to go on, the lead switches to offline.</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="431"/>
        <source>%1（本机）</source>
        <translation>%1 (this kiosk)</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="435"/>
        <source>已签到 %1 · 已投 %2</source>
        <translation>In %1 · Voted %2</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="436"/>
        <source>无法连接</source>
        <translation>Unreachable</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="446"/>
        <source>现场负责人已在终端“%1”要求所有终端结束本场评议：各终端在无人评议时自动结束，尚有 %2 台未结束。</source>
        <translation>The venue lead at kiosk “%1” asked every kiosk to end this session: each ends when no one is voting there; %2 not ended yet.</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="455"/>
        <source>本机未能按要求结束评议，请联系技术人员：%1</source>
        <translation>This kiosk could not end the session as asked; call the technician: %1</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="466"/>
        <source>所有终端结束评议…</source>
        <translation>End at every kiosk…</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="474"/>
        <source>恢复联网签到</source>
        <translation>Back online</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="474"/>
        <source>改为离线签到</source>
        <translation>Go offline</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="488"/>
        <source>本机存储</source>
        <translation>Storage</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="509"/>
        <source>可用 %1，共 %2</source>
        <translation>%1 free of %2</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="524"/>
        <source>导出状态</source>
        <translation>Export status</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="587"/>
        <source>已投</source>
        <translation>Voted</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="589"/>
        <source>应到</source>
        <translation>Invited</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="619"/>
        <source>结束评议…</source>
        <translation>Close…</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="635"/>
        <source>正式场次</source>
        <translation>Sessions</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="636"/>
        <source>同一时间只能进行一个场次</source>
        <translation>One session at a time</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="646"/>
        <source>演练场次</source>
        <translation>Rehearsals</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="647"/>
        <source>投票不计入正式结果</source>
        <translation>Votes not counted</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="538"/>
        <source>待导出</source>
        <translation>not exported yet</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="338"/>
        <source>摄像头</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="537"/>
        <source>%1：%2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="158"/>
        <location filename="../staff/DashboardScreen.qml" line="262"/>
        <location filename="../staff/DashboardScreen.qml" line="537"/>
        <source>%1（演练）</source>
        <translation>%1 (rehearsal)</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="538"/>
        <source>已导出</source>
        <translation>exported</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="547"/>
        <source>还没有已结束的场次。</source>
        <translation>No session has been closed yet.</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="307"/>
        <source>技术维护</source>
        <translation>Technician</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="588"/>
        <source>已签到</source>
        <translation>Checked in</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="590"/>
        <source>未投票离开</source>
        <translation>Left without voting</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="591"/>
        <source>建议</source>
        <translation>Suggestions</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="608"/>
        <source>暂停评议</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="608"/>
        <source>继续评议</source>
        <translation>Resume</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="165"/>
        <source>%1 个部门</source>
        <translation>%1 departments</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="185"/>
        <source>开始演练</source>
        <translation>Open rehearsal</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="185"/>
        <source>开始评议</source>
        <translation>Open session</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="193"/>
        <source>零报告</source>
        <translation>Zero report</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="201"/>
        <source>结束报告</source>
        <translation>Closing report</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="210"/>
        <source>导出到U盘</source>
        <translation>Export</translation>
    </message>
    <message>
        <location filename="../staff/DashboardScreen.qml" line="210"/>
        <source>再次导出</source>
        <translation>Export again</translation>
    </message>
</context>
<context>
    <name>DepartmentScreen</name>
    <message>
        <location filename="../ballot/DepartmentScreen.qml" line="12"/>
        <source>部门评议</source>
        <translation>Departments</translation>
    </message>
    <message>
        <location filename="../ballot/DepartmentScreen.qml" line="15"/>
        <source>第 %1 个部门，共 %2 个。</source>
        <translation>Department %1 of %2.</translation>
    </message>
    <message>
        <location filename="../ballot/DepartmentScreen.qml" line="16"/>
        <source>请选择：</source>
        <translation>Please choose: </translation>
    </message>
    <message>
        <location filename="../ballot/DepartmentScreen.qml" line="17"/>
        <source>您选择了：</source>
        <translation>You chose: </translation>
    </message>
    <message>
        <location filename="../ballot/DepartmentScreen.qml" line="18"/>
        <source>请点选一项评价</source>
        <translation>Tap one rating</translation>
    </message>
    <message>
        <location filename="../ballot/DepartmentScreen.qml" line="18"/>
        <source>选好后请点“下一个”</source>
        <translation>To change it, tap another one; then tap “Next”</translation>
    </message>
    <message>
        <location filename="../ballot/DepartmentScreen.qml" line="32"/>
        <source>第 %1 / %2 个部门</source>
        <translation>Department %1 of %2</translation>
    </message>
    <message>
        <location filename="../ballot/DepartmentScreen.qml" line="86"/>
        <source>您对该部门的工作是否满意？请选择一项，再点“下一个”：</source>
        <translation>How satisfied are you with this department&apos;s work? Choose one, then tap “Next”:</translation>
    </message>
</context>
<context>
    <name>ExportScreen</name>
    <message>
        <location filename="../staff/ExportScreen.qml" line="15"/>
        <source>导出到U盘</source>
        <translation>Export</translation>
    </message>
    <message>
        <location filename="../staff/ExportScreen.qml" line="26"/>
        <source>请插入U盘，然后点选要写入的U盘。</source>
        <translation>Insert a USB drive, then tap it.</translation>
    </message>
    <message>
        <location filename="../staff/ExportScreen.qml" line="35"/>
        <source>没有发现U盘</source>
        <translation>No USB drive found</translation>
    </message>
    <message>
        <location filename="../staff/ExportScreen.qml" line="36"/>
        <source>请插入U盘。插入后稍等几秒，它会出现在这里。</source>
        <translation>Insert a USB drive. It appears here a few seconds later.</translation>
    </message>
    <message>
        <location filename="../staff/ExportScreen.qml" line="46"/>
        <source>本机还有 %1 条离线签到记录未告知会场</source>
        <translation>%1 offline check-ins not yet told to the venue</translation>
    </message>
    <message>
        <location filename="../staff/ExportScreen.qml" line="47"/>
        <source>导出的数据照常有效，重复投票会在市里汇总时查出。会场网络恢复后，请让本机保持开机，直到会场终端卡片上不再显示待上传记录。</source>
        <translation>The exported data is valid all the same; the city office finds anyone who voted twice. When the venue network is back, keep this kiosk on until the venue card shows nothing waiting.</translation>
    </message>
    <message>
        <location filename="../staff/ExportScreen.qml" line="85"/>
        <source>只读</source>
        <translation>read-only</translation>
    </message>
    <message>
        <location filename="../staff/ExportScreen.qml" line="85"/>
        <source>可用 %1</source>
        <translation>%1 free</translation>
    </message>
    <message>
        <location filename="../staff/ExportScreen.qml" line="109"/>
        <source>正在写入U盘……</source>
        <translation>Writing to the USB drive…</translation>
    </message>
    <message>
        <location filename="../staff/ExportScreen.qml" line="150"/>
        <source>写入</source>
        <translation>Write</translation>
    </message>
    <message>
        <location filename="../staff/ExportScreen.qml" line="150"/>
        <source>读回校验</source>
        <translation>Verify</translation>
    </message>
    <message>
        <location filename="../staff/ExportScreen.qml" line="150"/>
        <source>可以拔出</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location filename="../staff/ExportScreen.qml" line="165"/>
        <source>请不要拔出U盘。</source>
        <translation>Do not remove the USB drive.</translation>
    </message>
    <message>
        <location filename="../staff/ExportScreen.qml" line="206"/>
        <source>可以安全拔出U盘</source>
        <translation>Safe to remove the USB drive</translation>
    </message>
    <message>
        <location filename="../staff/ExportScreen.qml" line="214"/>
        <source>文件已写入并读回校验无误，U盘已卸载。</source>
        <translation>The file was written, read back and verified, and the drive was unmounted.</translation>
    </message>
    <message>
        <location filename="../staff/ExportScreen.qml" line="229"/>
        <source>U盘：%1</source>
        <translation>Drive: %1</translation>
    </message>
    <message>
        <location filename="../staff/ExportScreen.qml" line="232"/>
        <source>文件：%1</source>
        <translation>File: %1</translation>
    </message>
    <message>
        <location filename="../staff/ExportScreen.qml" line="235"/>
        <source>大小：%1&#x3000;·&#x3000;选票 %2 张</source>
        <translation>Size: %1  ·  %2 ballots</translation>
    </message>
    <message>
        <location filename="../staff/ExportScreen.qml" line="238"/>
        <source>选票摘要：%1</source>
        <translation>Ballot digest: %1</translation>
    </message>
    <message>
        <location filename="../staff/ExportScreen.qml" line="250"/>
        <location filename="../staff/ExportScreen.qml" line="297"/>
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../staff/ExportScreen.qml" line="280"/>
        <source>文件：%1&#x3000;·&#x3000;选票 %2 张</source>
        <translation>File: %1&#x3000;·&#x3000;%2 ballot(s)</translation>
    </message>
    <message>
        <location filename="../staff/ExportScreen.qml" line="290"/>
        <source>再次卸载</source>
        <translation>Unmount again</translation>
    </message>
    <message>
        <location filename="../staff/ExportScreen.qml" line="329"/>
        <source>重试</source>
        <translation>Try again</translation>
    </message>
    <message>
        <location filename="../staff/ExportScreen.qml" line="335"/>
        <source>换一个U盘</source>
        <translation>Use another drive</translation>
    </message>
    <message>
        <location filename="../staff/ExportScreen.qml" line="348"/>
        <source>返回控制台</source>
        <translation>Back to the console</translation>
    </message>
</context>
<context>
    <name>FaceCheckView</name>
    <message>
        <location filename="../identify/FaceCheckView.qml" line="25"/>
        <source>没有看到人脸：请站到摄像头正前方，摘下帽子和口罩。</source>
        <translation>No face seen: stand right in front of the camera, without hat or mask.</translation>
    </message>
    <message>
        <location filename="../identify/FaceCheckView.qml" line="26"/>
        <source>摄像头前有不止一个人：请其他人稍稍离开。</source>
        <translation>More than one person in view: others please step aside.</translation>
    </message>
    <message>
        <location filename="../identify/FaceCheckView.qml" line="27"/>
        <source>请再靠近一点。</source>
        <translation>Please come a little closer.</translation>
    </message>
    <message>
        <location filename="../identify/FaceCheckView.qml" line="28"/>
        <source>太近了：请稍稍后退。</source>
        <translation>Too close: please step back a little.</translation>
    </message>
    <message>
        <location filename="../identify/FaceCheckView.qml" line="29"/>
        <source>光线太暗：请面向亮处，或请工作人员开灯。</source>
        <translation>Too dark: face the light, or ask staff for more light.</translation>
    </message>
    <message>
        <location filename="../identify/FaceCheckView.qml" line="30"/>
        <source>请保持不动片刻。</source>
        <translation>Please hold still for a moment.</translation>
    </message>
    <message>
        <location filename="../identify/FaceCheckView.qml" line="31"/>
        <source>请正对摄像头。</source>
        <translation>Please face the camera.</translation>
    </message>
    <message>
        <location filename="../identify/FaceCheckView.qml" line="32"/>
        <source>本机暂时不能刷脸：请用邀请卡或身份证签到。</source>
        <translation>Face check-in is not available here: use your invitation or ID card.</translation>
    </message>
    <message>
        <location filename="../identify/FaceCheckView.qml" line="38"/>
        <source>请慢慢向左转头</source>
        <translation>Slowly turn your head left</translation>
    </message>
    <message>
        <location filename="../identify/FaceCheckView.qml" line="38"/>
        <source>请慢慢向右转头</source>
        <translation>Slowly turn your head right</translation>
    </message>
    <message>
        <location filename="../identify/FaceCheckView.qml" line="39"/>
        <source>正在核对，请稍候</source>
        <translation>Checking, please wait</translation>
    </message>
    <message>
        <location filename="../identify/FaceCheckView.qml" line="41"/>
        <source>请确认您的姓名</source>
        <translation>Please confirm your name</translation>
    </message>
    <message>
        <location filename="../identify/FaceCheckView.qml" line="42"/>
        <source>请看着摄像头</source>
        <translation>Look at the camera</translation>
    </message>
    <message>
        <location filename="../identify/FaceCheckView.qml" line="48"/>
        <source>，转到一半就可以，然后看回屏幕。</source>
        <translation>, halfway is enough, then look back at the screen.</translation>
    </message>
    <message>
        <location filename="../identify/FaceCheckView.qml" line="50"/>
        <source>摄像头认出的代表是%1。是您本人，请按“是我”；不是，请按“不是我”。</source>
        <translation>The camera recognised %1. If that is you, press “It&apos;s me”; if not, press “Not me”.</translation>
    </message>
    <message>
        <location filename="../identify/FaceCheckView.qml" line="51"/>
        <source>请看着摄像头，把脸放在黄色框内。</source>
        <translation>Look at the camera and keep your face inside the yellow frame.</translation>
    </message>
    <message>
        <location filename="../identify/FaceCheckView.qml" line="99"/>
        <source>还差一步：本场评议要求刷脸确认是您本人。</source>
        <translation>One more step: this session asks for your face as well.</translation>
    </message>
    <message>
        <location filename="../identify/FaceCheckView.qml" line="107"/>
        <source>把脸放在黄色框内，离屏幕一臂远。请摘下帽子和口罩。</source>
        <translation>Keep your face in the yellow frame, an arm&apos;s length away. Please take off hat and mask.</translation>
    </message>
    <message>
        <location filename="../identify/FaceCheckView.qml" line="162"/>
        <source>转到一半就可以，然后看回屏幕。还剩 %1 秒。</source>
        <translation>Halfway is enough, then look back. %1&#xa0;s left.</translation>
    </message>
    <message>
        <location filename="../identify/FaceCheckView.qml" line="181"/>
        <source>再试一次</source>
        <translation>Try again</translation>
    </message>
    <message>
        <location filename="../identify/FaceCheckView.qml" line="189"/>
        <source>摄像头认出的代表是：</source>
        <translation>The camera recognised:</translation>
    </message>
    <message>
        <location filename="../identify/FaceCheckView.qml" line="212"/>
        <source>不是我</source>
        <translation>Not me</translation>
    </message>
    <message>
        <location filename="../identify/FaceCheckView.qml" line="221"/>
        <source>是我，开始评议</source>
        <translation>It&apos;s me, start</translation>
    </message>
    <message>
        <location filename="../identify/FaceCheckView.qml" line="237"/>
        <source>改用邀请卡或身份证</source>
        <translation>Use card or ID instead</translation>
    </message>
</context>
<context>
    <name>HoldButton</name>
    <message>
        <location filename="../staff/HoldButton.qml" line="12"/>
        <source>按住2秒结束</source>
        <translation>Hold 2 s to close</translation>
    </message>
</context>
<context>
    <name>IdConfirmView</name>
    <message>
        <location filename="../identify/IdConfirmView.qml" line="32"/>
        <source>请核对您的身份证号码</source>
        <translation>Please check your ID number</translation>
    </message>
    <message>
        <location filename="../identify/IdConfirmView.qml" line="39"/>
        <source>摄像头从身份证上读到的号码是：</source>
        <translation>The camera read this number from your ID card:</translation>
    </message>
    <message>
        <location filename="../identify/IdConfirmView.qml" line="68"/>
        <source>和您的身份证一致，请按“确认”。</source>
        <translation>If it matches your ID card, tap Confirm.</translation>
    </message>
    <message>
        <location filename="../identify/IdConfirmView.qml" line="79"/>
        <source>不是我的号码</source>
        <translation>Not my number</translation>
    </message>
    <message>
        <location filename="../identify/IdConfirmView.qml" line="80"/>
        <source>重新读取身份证</source>
        <translation>Read the card again</translation>
    </message>
    <message>
        <location filename="../identify/IdConfirmView.qml" line="89"/>
        <source>确认</source>
        <translation>Confirm</translation>
    </message>
</context>
<context>
    <name>IdNumberField</name>
    <message>
        <location filename="../identify/IdNumberField.qml" line="62"/>
        <source>请输入18位身份证号码</source>
        <translation>Type the 18-character ID number</translation>
    </message>
    <message>
        <location filename="../identify/IdNumberField.qml" line="80"/>
        <source>%1 / 18 位</source>
        <translation>%1 / 18</translation>
    </message>
    <message>
        <location filename="../identify/IdNumberField.qml" line="97"/>
        <source>前6位地区码不对</source>
        <translation>First 6 digits (region) wrong</translation>
    </message>
    <message>
        <location filename="../identify/IdNumberField.qml" line="98"/>
        <source>第7–14位出生日期不对</source>
        <translation>Digits 7–14 (birth date) wrong</translation>
    </message>
    <message>
        <location filename="../identify/IdNumberField.qml" line="99"/>
        <source>号码没有通过校验：有一位数字输错了</source>
        <translation>Number fails the check: one digit is wrong</translation>
    </message>
</context>
<context>
    <name>IdentifyScreen</name>
    <message>
        <location filename="../identify/IdentifyScreen.qml" line="48"/>
        <source>请核对屏幕上的身份证号码。和您的身份证一致，请按确认；不一致，请按“不是我的号码”。</source>
        <translation>Please check the ID number on the screen. If it matches your ID card, tap Confirm; if not, tap Not my number.</translation>
    </message>
    <message>
        <location filename="../identify/IdentifyScreen.qml" line="50"/>
        <source>请把身份证放在摄像头下，有号码的一面朝上，或在右边输入身份证号码。</source>
        <translation>Please place your ID card under the camera, number side up, or type your ID number on the right.</translation>
    </message>
    <message>
        <location filename="../identify/IdentifyScreen.qml" line="51"/>
        <source>请把邀请卡上的二维码对准摄像头，或在右边输入您的身份证号码。</source>
        <translation>Please hold the QR code on your invitation up to the camera, or type your ID number on the right.</translation>
    </message>
    <message>
        <location filename="../identify/IdentifyScreen.qml" line="52"/>
        <source>请扫描邀请函上的二维码，或在右边输入您的身份证号码。</source>
        <translation>Scan the QR code on your invitation, or type your ID number on the right.</translation>
    </message>
    <message>
        <location filename="../identify/IdentifyScreen.qml" line="66"/>
        <source>看到了二维码，但还读不出来：请把二维码完整地放在框内，不要遮挡。</source>
        <translation>The QR code is in view but cannot be read yet: please hold the whole code inside the frame, uncovered.</translation>
    </message>
    <message>
        <location filename="../identify/IdentifyScreen.qml" line="67"/>
        <source>屏幕反光太强：请把手机屏幕调暗或换个角度。</source>
        <translation>Too much glare: please dim your phone screen or tilt it a little.</translation>
    </message>
    <message>
        <location filename="../identify/IdentifyScreen.qml" line="68"/>
        <source>看到了身份证，但还读不出号码：请把身份证放平、放近一点。</source>
        <translation>The ID card is in view but its number cannot be read yet: please lay the card flat, a little closer.</translation>
    </message>
    <message>
        <location filename="../identify/IdentifyScreen.qml" line="69"/>
        <source>本机暂时不能读取身份证：请用右边的键盘输入身份证号码。</source>
        <translation>This kiosk cannot read ID cards right now: please type your ID number on the keypad on the right.</translation>
    </message>
    <message>
        <location filename="../identify/IdentifyScreen.qml" line="87"/>
        <source>身份核验</source>
        <translation>Check in</translation>
    </message>
    <message>
        <location filename="../identify/IdentifyScreen.qml" line="155"/>
        <source>把邀请卡二维码对准摄像头</source>
        <comment>camera mode button</comment>
        <translation>Invitation QR code</translation>
    </message>
    <message>
        <location filename="../identify/IdentifyScreen.qml" line="164"/>
        <source>把身份证放在摄像头下</source>
        <comment>camera mode button</comment>
        <translation>ID card</translation>
    </message>
    <message>
        <location filename="../identify/IdentifyScreen.qml" line="172"/>
        <source>把邀请卡二维码对准摄像头</source>
        <translation>Show your invitation&apos;s QR code to the camera</translation>
    </message>
    <message>
        <location filename="../identify/IdentifyScreen.qml" line="172"/>
        <source>把身份证放在摄像头下</source>
        <translation>Place your ID card under the camera</translation>
    </message>
    <message>
        <location filename="../identify/IdentifyScreen.qml" line="215"/>
        <source>身份证有号码的一面朝上，放在框内，号码对准黄色的条。</source>
        <translation>Number side up, inside the frame, with the number on the yellow bar.</translation>
    </message>
    <message>
        <location filename="../identify/IdentifyScreen.qml" line="216"/>
        <source>二维码放在框内，离摄像头一掌远。也可以用扫描器扫描。</source>
        <translation>Hold the QR code inside the frame, a hand&apos;s width from the camera. The hand scanner works too.</translation>
    </message>
    <message>
        <location filename="../identify/IdentifyScreen.qml" line="254"/>
        <source>扫描邀请函二维码</source>
        <translation>Scan your invitation</translation>
    </message>
    <message>
        <location filename="../identify/IdentifyScreen.qml" line="268"/>
        <source>摄像头暂时不能使用，请用扫描器或键盘。</source>
        <translation>The camera is not working right now: please use the scanner or the keypad.</translation>
    </message>
    <message>
        <location filename="../identify/IdentifyScreen.qml" line="278"/>
        <source>可以再扫描一次邀请函，或在右边输入身份证号码。</source>
        <translation>You can scan the invitation again, or type your ID number on the right.</translation>
    </message>
    <message>
        <location filename="../identify/IdentifyScreen.qml" line="279"/>
        <source>把邀请函上的二维码放在扫描器下方，听到“嘀”的一声即可。</source>
        <translation>Hold the QR code on your invitation under the scanner until it beeps.</translation>
    </message>
    <message>
        <location filename="../identify/IdentifyScreen.qml" line="360"/>
        <source>或输入身份证号码</source>
        <translation>Or type your ID number</translation>
    </message>
    <message>
        <location filename="../identify/IdentifyScreen.qml" line="398"/>
        <source>确认</source>
        <translation>Check in</translation>
    </message>
    <message>
        <location filename="../identify/IdentifyScreen.qml" line="406"/>
        <source>清空</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location filename="../identify/IdentifyScreen.qml" line="446"/>
        <source>返回首页</source>
        <translation>Back to start</translation>
    </message>
    <message>
        <location filename="../identify/IdentifyScreen.qml" line="454"/>
        <source>刷脸签到</source>
        <translation>Check in by face</translation>
    </message>
    <message>
        <location filename="../identify/IdentifyScreen.qml" line="463"/>
        <source>请工作人员协助</source>
        <translation>Ask staff for help</translation>
    </message>
</context>
<context>
    <name>IdleOverlay</name>
    <message>
        <location filename="../ballot/IdleOverlay.qml" line="15"/>
        <source>您还在评议吗？</source>
        <translation>Are you still there?</translation>
    </message>
    <message>
        <location filename="../ballot/IdleOverlay.qml" line="15"/>
        <source>已通知工作人员</source>
        <translation>Staff called</translation>
    </message>
    <message>
        <location filename="../ballot/IdleOverlay.qml" line="17"/>
        <source>工作人员马上就来，请稍候。您已填写的内容都保留着。</source>
        <translation>Staff are on the way. Your answers are kept.</translation>
    </message>
    <message>
        <location filename="../ballot/IdleOverlay.qml" line="18"/>
        <source>如果 %1 秒内没有操作，本次评议将被取消，已填写的内容不会保存。</source>
        <translation>If nothing is touched within %1 seconds, this ballot is cancelled and your answers are not kept.</translation>
    </message>
    <message>
        <location filename="../ballot/IdleOverlay.qml" line="19"/>
        <source>继续评议</source>
        <translation>I am still here</translation>
    </message>
    <message>
        <location filename="../ballot/IdleOverlay.qml" line="54"/>
        <source>请工作人员协助</source>
        <translation>Ask staff for help</translation>
    </message>
</context>
<context>
    <name>KioskShell</name>
    <message>
        <location filename="../shell/KioskShell.qml" line="118"/>
        <source>终端 %1 需要协助：请工作人员过来</source>
        <translation>Kiosk %1 needs help: staff please come</translation>
    </message>
</context>
<context>
    <name>ModalDialog</name>
    <message>
        <location filename="../controls/ModalDialog.qml" line="10"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../controls/ModalDialog.qml" line="11"/>
        <source>返回</source>
        <translation>Back</translation>
    </message>
</context>
<context>
    <name>NumberPad</name>
    <message>
        <location filename="../controls/NumberPad.qml" line="21"/>
        <location filename="../controls/NumberPad.qml" line="35"/>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
</context>
<context>
    <name>OnScreenKeyboard</name>
    <message>
        <location filename="../keyboard/OnScreenKeyboard.qml" line="110"/>
        <source>拼音</source>
        <translation>Pinyin</translation>
    </message>
    <message>
        <location filename="../keyboard/OnScreenKeyboard.qml" line="141"/>
        <source>选定</source>
        <translation>Choose</translation>
    </message>
    <message>
        <location filename="../keyboard/OnScreenKeyboard.qml" line="141"/>
        <source>空格</source>
        <translation>Space</translation>
    </message>
    <message>
        <location filename="../keyboard/OnScreenKeyboard.qml" line="160"/>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../keyboard/OnScreenKeyboard.qml" line="170"/>
        <source>换行</source>
        <translation>New line</translation>
    </message>
    <message>
        <location filename="../keyboard/OnScreenKeyboard.qml" line="170"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>OverrideScreen</name>
    <message>
        <location filename="../identify/OverrideScreen.qml" line="31"/>
        <location filename="../identify/OverrideScreen.qml" line="32"/>
        <source>邀请函遗失或损坏</source>
        <translation>Invitation lost or damaged</translation>
    </message>
    <message>
        <location filename="../identify/OverrideScreen.qml" line="31"/>
        <location filename="../identify/OverrideScreen.qml" line="32"/>
        <source>二维码无法识别</source>
        <translation>QR code unreadable</translation>
    </message>
    <message>
        <location filename="../identify/OverrideScreen.qml" line="31"/>
        <location filename="../identify/OverrideScreen.qml" line="32"/>
        <source>身份证号码核验未通过</source>
        <translation>ID number not accepted</translation>
    </message>
    <message>
        <location filename="../identify/OverrideScreen.qml" line="31"/>
        <source>人脸识别未通过</source>
        <translation>Face not recognised</translation>
    </message>
    <message>
        <location filename="../identify/OverrideScreen.qml" line="46"/>
        <source>现场负责人协助核验</source>
        <translation>Check-in by the venue lead</translation>
    </message>
    <message>
        <location filename="../identify/OverrideScreen.qml" line="50"/>
        <source>现场负责人协助核验。请输入代表的身份证号码或代表编号，并选择原因。</source>
        <translation>Check-in by the venue lead. Enter the representative&apos;s ID number or representative id, and choose the reason.</translation>
    </message>
    <message>
        <location filename="../identify/OverrideScreen.qml" line="76"/>
        <source>代表的身份证号码或代表编号</source>
        <translation>ID number or representative id</translation>
    </message>
    <message>
        <location filename="../identify/OverrideScreen.qml" line="108"/>
        <source>补充说明（可选）</source>
        <translation>More detail (optional)</translation>
    </message>
    <message>
        <location filename="../identify/OverrideScreen.qml" line="134"/>
        <source>点这里，用下方键盘输入</source>
        <translation>Tap here and use the keyboard below</translation>
    </message>
    <message>
        <location filename="../identify/OverrideScreen.qml" line="146"/>
        <source>常规核验未通过的原因</source>
        <translation>Why the usual check failed</translation>
    </message>
    <message>
        <location filename="../identify/OverrideScreen.qml" line="197"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../identify/OverrideScreen.qml" line="208"/>
        <source>%1：%2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../identify/OverrideScreen.qml" line="222"/>
        <source>确认放行并记录</source>
        <translation>Admit and record</translation>
    </message>
</context>
<context>
    <name>PinScreen</name>
    <message>
        <location filename="../staff/PinScreen.qml" line="14"/>
        <source>现场负责人协助核验</source>
        <translation>Check-in by the venue lead</translation>
    </message>
    <message>
        <location filename="../staff/PinScreen.qml" line="14"/>
        <source>工作人员登录</source>
        <translation>Staff login</translation>
    </message>
    <message>
        <location filename="../staff/PinScreen.qml" line="42"/>
        <source>请现场负责人输入PIN码</source>
        <translation>Venue lead: enter your PIN</translation>
    </message>
    <message>
        <location filename="../staff/PinScreen.qml" line="42"/>
        <source>请输入工作人员PIN码</source>
        <translation>Enter your staff PIN</translation>
    </message>
    <message>
        <location filename="../staff/PinScreen.qml" line="96"/>
        <source>确认</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location filename="../staff/PinScreen.qml" line="104"/>
        <source>返回</source>
        <translation>Back</translation>
    </message>
</context>
<context>
    <name>QuestionScreen</name>
    <message>
        <location filename="../ballot/QuestionScreen.qml" line="19"/>
        <source>活动纪律情况调查</source>
        <translation>Discipline survey</translation>
    </message>
    <message>
        <location filename="../ballot/QuestionScreen.qml" line="19"/>
        <source>社情民意调查问卷</source>
        <translation>Questionnaire</translation>
    </message>
    <message>
        <location filename="../ballot/QuestionScreen.qml" line="20"/>
        <source>第 %1 题，共 %2 题。</source>
        <translation>Question %1 of %2.</translation>
    </message>
    <message>
        <location filename="../ballot/QuestionScreen.qml" line="22"/>
        <source>您选择了：</source>
        <translation>You chose: </translation>
    </message>
    <message>
        <location filename="../ballot/QuestionScreen.qml" line="23"/>
        <source>完成，返回核对</source>
        <translation>Done, back to review</translation>
    </message>
    <message>
        <location filename="../ballot/QuestionScreen.qml" line="24"/>
        <source>跳过此题</source>
        <translation>Skip this question</translation>
    </message>
    <message>
        <location filename="../ballot/QuestionScreen.qml" line="24"/>
        <source>下一题</source>
        <translation>Next question</translation>
    </message>
    <message>
        <location filename="../ballot/QuestionScreen.qml" line="26"/>
        <source>已选 %1 项</source>
        <translation>%1 chosen</translation>
    </message>
    <message>
        <location filename="../ballot/QuestionScreen.qml" line="27"/>
        <source>选好后请点“下一题”</source>
        <translation>To change it, tap another one; then tap “Next question”</translation>
    </message>
    <message>
        <location filename="../ballot/QuestionScreen.qml" line="28"/>
        <source>此题可以不答</source>
        <translation>You may leave this question unanswered</translation>
    </message>
    <message>
        <location filename="../ballot/QuestionScreen.qml" line="28"/>
        <source>请点选一项</source>
        <translation>Tap one</translation>
    </message>
    <message>
        <location filename="../ballot/QuestionScreen.qml" line="45"/>
        <source>第 %1 / %2 题</source>
        <translation>Question %1 of %2</translation>
    </message>
    <message>
        <location filename="../ballot/QuestionScreen.qml" line="54"/>
        <source>已选满 %1 项。如需更换，请先点一下已选的项取消。</source>
        <translation>%1 chosen, the most allowed. To change, first tap a chosen one to undo it.</translation>
    </message>
    <message>
        <location filename="../ballot/QuestionScreen.qml" line="55"/>
        <source>可多选，最多选 %1 项</source>
        <translation>Choose up to %1</translation>
    </message>
    <message>
        <location filename="../ballot/QuestionScreen.qml" line="56"/>
        <source>以下问题用于了解评议活动是否公正，请如实回答。您的回答同样是无记名的。</source>
        <translation>These questions check that the evaluation is fair. Please answer truthfully; your answers are anonymous too.</translation>
    </message>
</context>
<context>
    <name>ReceiptScreen</name>
    <message>
        <location filename="../ballot/ReceiptScreen.qml" line="23"/>
        <source>评议完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../ballot/ReceiptScreen.qml" line="28"/>
        <source>评议票已提交，感谢您的参与。回执码显示在屏幕上。</source>
        <translation>Your ballot has been cast. Thank you. The receipt code is on the screen.</translation>
    </message>
    <message>
        <location filename="../ballot/ReceiptScreen.qml" line="29"/>
        <source>您的回执码是：</source>
        <translation>Your receipt code is: </translation>
    </message>
    <message>
        <location filename="../ballot/ReceiptScreen.qml" line="81"/>
        <source>评议票已提交，感谢您的参与！</source>
        <translation>Your ballot has been cast. Thank you!</translation>
    </message>
    <message>
        <location filename="../ballot/ReceiptScreen.qml" line="88"/>
        <source>您的回执码</source>
        <translation>Your receipt code</translation>
    </message>
    <message>
        <location filename="../ballot/ReceiptScreen.qml" line="114"/>
        <source>评议结果公布时，会同时公布所有回执码。您可以凭这个回执码查验自己的评议票已被计入。回执码不会显示您的任何选择。需要的话，请用手机拍下右边的二维码。</source>
        <translation>When the results are published, all receipt codes are published too: you can check that your ballot was counted. The code shows none of your choices. You may photograph the QR code on the right.</translation>
    </message>
    <message>
        <location filename="../ballot/ReceiptScreen.qml" line="118"/>
        <source>请不要把回执码交给他人。为保护您的隐私，本页 %1 秒后自动返回首页。</source>
        <translation>Keep your receipt code to yourself. For your privacy this page returns to the start in %1 seconds.</translation>
    </message>
    <message>
        <location filename="../ballot/ReceiptScreen.qml" line="153"/>
        <source>完成</source>
        <translation>Finished</translation>
    </message>
</context>
<context>
    <name>Refusals</name>
    <message>
        <location filename="../identify/Refusals.qml" line="29"/>
        <source>无法识别这个二维码</source>
        <translation>This QR code cannot be read</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="30"/>
        <source>这个二维码无法通过验证</source>
        <translation>This QR code did not pass the check</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="31"/>
        <source>这张邀请函不属于本次评议活动</source>
        <translation>This invitation is for another evaluation</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="32"/>
        <source>这张邀请函属于其他会场</source>
        <translation>This invitation is for another venue</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="33"/>
        <source>本会场名单中没有找到您</source>
        <translation>You are not on this venue&apos;s list</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="34"/>
        <source>身份证号码有误</source>
        <translation>This ID number is not valid</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="35"/>
        <source>名单中没有这个身份证号码</source>
        <translation>This ID number is not on the list</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="36"/>
        <source>您不在本场评议的代表名单中</source>
        <translation>You are not invited to this session</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="37"/>
        <source>您已在本场评议中投过票</source>
        <translation>You have already voted in this session</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="38"/>
        <source>您已在另一台终端签到</source>
        <translation>You are already checked in at another kiosk</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="84"/>
        <source>号码中有数字输错了（地区、出生日期或最后一位校验码对不上）：请对照身份证逐位核对，用“删除”改正。最后一位可能是数字或字母X。</source>
        <translation>A digit is wrong: compare the number with your ID card digit by digit and correct it with Delete. The last character may be a digit or X.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="85"/>
        <source>请对照身份证逐位核对号码，用“删除”改正。如确认无误，请联系工作人员。</source>
        <translation>Compare the number with your ID card digit by digit and correct it with Delete. If it is right, please ask the staff.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="96"/>
        <source>本终端还没有装入本会场的评议资料。请到另一台终端评议，或请工作人员处理。</source>
        <translation>This kiosk has not been loaded with this venue&apos;s evaluation data yet. Please use another kiosk, or ask a staff member.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="88"/>
        <source>请回到您签到的终端完成评议。如需改在本机评议，请联系工作人员。</source>
        <translation>Please finish at the kiosk where you checked in. To vote at this kiosk instead, ask a staff member.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="17"/>
        <source>%1，%2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="22"/>
        <source>您属于%1会场，%2。</source>
        <translation>You belong to: %1, %2.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="22"/>
        <source>；</source>
        <translation>; </translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="23"/>
        <source>地址：%1</source>
        <translation>Address: %1</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="39"/>
        <source>场馆网络不可用，请联系工作人员</source>
        <translation>Venue network down. Please call staff.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="40"/>
        <source>评议尚未开始或已暂停</source>
        <translation>Voting is not open now</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="41"/>
        <source>本场评议正在结束</source>
        <translation>This session is ending</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="42"/>
        <source>另一位代表正在使用本机</source>
        <translation>Another representative is using this kiosk</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="43"/>
        <source>请写明原因</source>
        <translation>Please give the reason</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="45"/>
        <source>需要现场负责人登录</source>
        <translation>The venue lead must log in</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="46"/>
        <source>本终端尚未准备好</source>
        <translation>This kiosk is not ready</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="47"/>
        <source>还需要刷脸确认</source>
        <translation>Your face is needed too</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="48"/>
        <source>人脸与邀请卡不符</source>
        <translation>Face does not match the card</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="49"/>
        <source>等待时间过长</source>
        <translation>Waited too long</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="50"/>
        <source>没有认出您</source>
        <translation>Not recognised</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="51"/>
        <source>无法确定是哪位代表</source>
        <translation>Cannot tell who you are</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="52"/>
        <source>本场没有可用的人脸资料</source>
        <translation>No faces enrolled for this session</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="53"/>
        <source>没有看清您的脸</source>
        <translation>Your face was not clear</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="54"/>
        <source>已取消，未作任何记录</source>
        <translation>Cancelled, nothing recorded</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="59"/>
        <source>刷脸没有完成</source>
        <translation>Face check not finished</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="60"/>
        <source>转头方向不对</source>
        <translation>Turned the wrong way</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="61"/>
        <source>没有看到转头</source>
        <translation>No head turn seen</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="62"/>
        <source>摄像头前不止一个人</source>
        <translation>More than one person in view</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="63"/>
        <source>请先正对摄像头</source>
        <translation>Face the camera first</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="64"/>
        <source>暂时无法核验身份</source>
        <translation>Check-in is not possible right now</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="73"/>
        <source>您已在终端“%1”签到。请回到该终端完成评议；如需改在本机评议，请联系工作人员。</source>
        <translation>You&apos;re checked in at kiosk “%1”. Please vote there; to vote here instead, ask the staff.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="75"/>
        <source>您已在终端“%1”投过票。每位代表每场只能评议一次。如有疑问，请联系工作人员。</source>
        <translation>You voted at kiosk “%1”. One vote per session. Questions? Ask the staff.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="79"/>
        <source>请确认扫描的是本次活动邀请函上的二维码，或改为输入身份证号码。</source>
        <translation>Please scan the QR code on this year&apos;s invitation, or type your ID number instead.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="80"/>
        <source>这张邀请函可能不是本次活动签发的。请改为输入身份证号码，或请工作人员协助。</source>
        <translation>This invitation may not have been issued for this evaluation. Please type your ID number instead, or ask the staff for help.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="81"/>
        <source>请使用今年活动的邀请函，或改为输入身份证号码。</source>
        <translation>Please use this year&apos;s invitation, or type your ID number instead.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="82"/>
        <source>请到邀请函上注明的会场参加评议。如有疑问，请联系工作人员。</source>
        <translation>Please vote at the venue printed on your invitation. If in doubt, ask the staff.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="83"/>
        <source>请联系工作人员核实您的代表身份。</source>
        <translation>Please ask the staff to check your invitation.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="86"/>
        <source>您受邀参加的是其他评议组，请在相应场次前来。如有疑问，请联系工作人员。</source>
        <translation>You are invited to another group&apos;s session; please come then. If in doubt, ask the staff.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="87"/>
        <source>每位代表每场只能评议一次。如有疑问，请联系工作人员。</source>
        <translation>Each representative votes once per session. If in doubt, ask the staff.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="89"/>
        <source>本机暂时无法与会场其他终端核对签到。请稍候再试一次；如仍不行，请工作人员处理。</source>
        <translation>This kiosk can&apos;t check with the other kiosks now. Try again shortly; if it still fails, ask the staff.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="90"/>
        <source>请稍候，工作人员开始评议后即可使用。</source>
        <translation>Please wait until the staff open the session.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="91"/>
        <source>现场负责人正在结束本会场的这一场评议，不再接受新的签到。如有疑问，请联系工作人员。</source>
        <translation>The venue lead is ending this session at this venue; no new check-ins are accepted. If in doubt, please ask the staff.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="92"/>
        <source>请稍候片刻。</source>
        <translation>Please wait a moment.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="93"/>
        <source>请选择或写下常规核验未能通过的原因（至少四个字）。</source>
        <translation>Choose or write why the usual check failed (a few words at least).</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="95"/>
        <source>请现场负责人输入PIN码后再操作。</source>
        <translation>The venue lead must enter the PIN first.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="97"/>
        <source>本场评议要求核对人脸。本机摄像头暂时不能使用，请工作人员协助。</source>
        <translation>This session also checks your face, but this kiosk&apos;s camera is not working: please ask the staff.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="98"/>
        <source>请邀请卡上的代表本人前来刷脸。如有疑问，请联系工作人员。</source>
        <translation>The representative named on the card must show their own face. If in doubt, ask the staff.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="99"/>
        <source>请重新扫描邀请卡或输入身份证号码。</source>
        <translation>Scan your invitation again or type your ID number.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="100"/>
        <source>请再试一次，或改用邀请卡、身份证签到。如有疑问，请联系工作人员。</source>
        <translation>Try again, or use your invitation or ID card. If in doubt, ask the staff.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="101"/>
        <source>您和另一位代表长得很像。请改用邀请卡或身份证签到。</source>
        <translation>You look very like another representative. Please use your invitation or ID card.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="102"/>
        <source>请改用邀请卡或身份证签到。</source>
        <translation>Please use your invitation or ID card.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="103"/>
        <source>请正对摄像头，站在亮处，再试一次。</source>
        <translation>Face the camera in good light and try again.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="104"/>
        <source>请改用邀请卡或身份证签到，或请工作人员协助。</source>
        <translation>Please use your invitation or ID card, or ask the staff.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="109"/>
        <source>请一直看着摄像头，按屏幕提示转头，再试一次。</source>
        <translation>Keep looking at the camera, turn as the screen shows, and try again.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="110"/>
        <source>请按屏幕上箭头的方向慢慢转头，再试一次。</source>
        <translation>Turn your head slowly the way the arrow points, and try again.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="111"/>
        <source>请在提示出现后慢慢转头，转到一半即可。也可以改用邀请卡或身份证签到。</source>
        <translation>Turn your head slowly when asked; halfway is enough. Or use your invitation or ID card.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="112"/>
        <source>刷脸时摄像头前只能有一个人。请其他人稍稍离开，再试一次。</source>
        <translation>Only one person in front of the camera, please. Others step aside, then try again.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="113"/>
        <source>请先正对摄像头，看到箭头后再转头。</source>
        <translation>Face the camera first; turn only when the arrow shows.</translation>
    </message>
    <message>
        <location filename="../identify/Refusals.qml" line="114"/>
        <source>请联系工作人员。</source>
        <translation>Please ask the staff.</translation>
    </message>
</context>
<context>
    <name>RehearsalBanner</name>
    <message>
        <location filename="../controls/RehearsalBanner.qml" line="40"/>
        <source>演练&#x3000;本次投票不计入正式评议结果</source>
        <translation>REHEARSAL — votes here are not counted</translation>
    </message>
</context>
<context>
    <name>ReportScreen</name>
    <message>
        <location filename="../staff/ReportScreen.qml" line="16"/>
        <source>结束报告</source>
        <translation>Closing report</translation>
    </message>
    <message>
        <location filename="../staff/ReportScreen.qml" line="16"/>
        <source>零报告</source>
        <translation>Zero report</translation>
    </message>
    <message>
        <location filename="../staff/ReportScreen.qml" line="25"/>
        <source>%1年%2月%3日 %4</source>
        <translation>%1-%2-%3 %4</translation>
    </message>
    <message>
        <location filename="../staff/ReportScreen.qml" line="108"/>
        <source>本场评议已结束，本机不再接受投票。请核对下面的数字，用手机拍下右边的二维码，然后把本场数据导出到U盘。</source>
        <translation>The session is closed; this kiosk takes no more votes. Check the numbers below, photograph the QR code on the right, then export the session to a USB drive.</translation>
    </message>
    <message>
        <location filename="../staff/ReportScreen.qml" line="109"/>
        <source>本场评议已开始。零报告证明开始时本机没有任何选票。请用手机拍下右边的二维码留存。</source>
        <translation>The session is open. The zero report shows that the kiosk held no ballots at the start. Photograph the QR code on the right to keep it.</translation>
    </message>
    <message>
        <location filename="../staff/ReportScreen.qml" line="116"/>
        <source>选票</source>
        <translation>Ballots</translation>
    </message>
    <message>
        <location filename="../staff/ReportScreen.qml" line="117"/>
        <source>已签到</source>
        <translation>Checked in</translation>
    </message>
    <message>
        <location filename="../staff/ReportScreen.qml" line="118"/>
        <source>应到</source>
        <translation>Invited</translation>
    </message>
    <message>
        <location filename="../staff/ReportScreen.qml" line="119"/>
        <source>签到后未投票</source>
        <translation>Left without voting</translation>
    </message>
    <message>
        <location filename="../staff/ReportScreen.qml" line="120"/>
        <source>建议</source>
        <translation>Suggestions</translation>
    </message>
    <message>
        <location filename="../staff/ReportScreen.qml" line="124"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../staff/ReportScreen.qml" line="125"/>
        <source>（%1，当地时间）</source>
        <translation> (%1, local time)</translation>
    </message>
    <message>
        <location filename="../staff/ReportScreen.qml" line="129"/>
        <source>终端</source>
        <translation>Kiosk</translation>
    </message>
    <message>
        <location filename="../staff/ReportScreen.qml" line="134"/>
        <source>选票校验码</source>
        <translation>Check code</translation>
    </message>
    <message>
        <location filename="../staff/ReportScreen.qml" line="140"/>
        <source>按类别签到</source>
        <translation>By category</translation>
    </message>
    <message>
        <location filename="../staff/ReportScreen.qml" line="145"/>
        <source>选票校验码是全部选票的指纹，这里只显示前16位；完整内容在二维码中，由计票办公室核对。</source>
        <translation>The check code fingerprints all ballots; the first 16 characters are shown, the QR code holds it all for the office.</translation>
    </message>
    <message>
        <location filename="../staff/ReportScreen.qml" line="170"/>
        <source>请拍下此二维码，交计票办公室核对</source>
        <translation>Photograph this QR code for the tallying office</translation>
    </message>
    <message>
        <location filename="../staff/ReportScreen.qml" line="186"/>
        <source>正在打印（打印机：%1）……</source>
        <translation>Printing… (printer: %1)</translation>
    </message>
    <message>
        <location filename="../staff/ReportScreen.qml" line="187"/>
        <source>已打印（打印机：%1）。</source>
        <translation>Printed (printer: %1).</translation>
    </message>
    <message>
        <location filename="../staff/ReportScreen.qml" line="188"/>
        <source>没有找到打印机。请连接打印机后重试，或用手机拍下二维码。</source>
        <translation>No printer found. Connect one and retry, or photograph the QR code.</translation>
    </message>
    <message>
        <location filename="../staff/ReportScreen.qml" line="190"/>
        <source>打印机“%1”已暂停或不接受打印，报告没有打印。请技术员恢复打印机后重试，或用手机拍下二维码。</source>
        <translation>Printer “%1” is paused or refuses jobs: not printed. Ask the technician to resume it and retry, or photograph the QR code.</translation>
    </message>
    <message>
        <location filename="../staff/ReportScreen.qml" line="191"/>
        <source>打印没有完成。请检查打印机后重试。</source>
        <translation>Printing failed. Check the printer and retry.</translation>
    </message>
    <message>
        <location filename="../staff/ReportScreen.qml" line="207"/>
        <source>返回控制台</source>
        <translation>Back to the console</translation>
    </message>
    <message>
        <location filename="../staff/ReportScreen.qml" line="213"/>
        <source>打印</source>
        <translation>Print</translation>
    </message>
    <message>
        <location filename="../staff/ReportScreen.qml" line="222"/>
        <source>导出到U盘</source>
        <translation>Export</translation>
    </message>
</context>
<context>
    <name>ReviewScreen</name>
    <message>
        <location filename="../ballot/ReviewScreen.qml" line="12"/>
        <source>核对您的评议</source>
        <translation>Review your ballot</translation>
    </message>
    <message>
        <location filename="../ballot/ReviewScreen.qml" line="13"/>
        <source>请核对您的全部评议内容。需要修改的，请点该项右边的“修改”。核对无误后，请点“确认无误，提交”。</source>
        <translation>Please check all your answers. To change one, tap “Change” beside it. When everything is right, tap “All correct, cast”.</translation>
    </message>
    <message>
        <location filename="../ballot/ReviewScreen.qml" line="14"/>
        <source>确认无误，提交</source>
        <translation>All correct, cast</translation>
    </message>
    <message>
        <location filename="../ballot/ReviewScreen.qml" line="15"/>
        <source>可上下滑动查看全部内容</source>
        <translation>Swipe up and down to see everything</translation>
    </message>
    <message>
        <location filename="../ballot/ReviewScreen.qml" line="56"/>
        <source>（未回答）</source>
        <translation>(not answered)</translation>
    </message>
    <message>
        <location filename="../ballot/ReviewScreen.qml" line="69"/>
        <source>修改</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../ballot/ReviewScreen.qml" line="92"/>
        <source>部门评议（共 %1 个部门）</source>
        <translation>Departments (%1)</translation>
    </message>
    <message>
        <location filename="../ballot/ReviewScreen.qml" line="149"/>
        <source>社情民意调查问卷</source>
        <translation>Questionnaire</translation>
    </message>
    <message>
        <location filename="../ballot/ReviewScreen.qml" line="170"/>
        <source>活动纪律情况调查</source>
        <translation>Discipline survey</translation>
    </message>
    <message>
        <location filename="../ballot/ReviewScreen.qml" line="191"/>
        <source>意见建议</source>
        <translation>Suggestion</translation>
    </message>
    <message>
        <location filename="../ballot/ReviewScreen.qml" line="197"/>
        <source>是否提出建议</source>
        <translation>Suggestion</translation>
    </message>
    <message>
        <location filename="../ballot/ReviewScreen.qml" line="198"/>
        <source>写了一条建议</source>
        <translation>Written</translation>
    </message>
    <message>
        <location filename="../ballot/ReviewScreen.qml" line="198"/>
        <source>不写建议</source>
        <translation>None</translation>
    </message>
    <message>
        <location filename="../ballot/ReviewScreen.qml" line="205"/>
        <source>建议的方面</source>
        <translation>Topic</translation>
    </message>
    <message>
        <location filename="../ballot/ReviewScreen.qml" line="213"/>
        <source>给哪个部门</source>
        <translation>For department</translation>
    </message>
    <message>
        <location filename="../ballot/ReviewScreen.qml" line="214"/>
        <source>不针对具体部门</source>
        <translation>No particular department</translation>
    </message>
</context>
<context>
    <name>ScrollArea</name>
    <message>
        <location filename="../controls/ScrollArea.qml" line="47"/>
        <source>上翻</source>
        <translation>Up</translation>
    </message>
    <message>
        <location filename="../controls/ScrollArea.qml" line="57"/>
        <source>下翻</source>
        <translation>Down</translation>
    </message>
</context>
<context>
    <name>StaffFrame</name>
    <message>
        <location filename="../staff/StaffFrame.qml" line="23"/>
        <source>终端 %1</source>
        <translation>Kiosk %1</translation>
    </message>
    <message>
        <location filename="../staff/StaffFrame.qml" line="38"/>
        <source>退出登录</source>
        <translation>Log out</translation>
    </message>
</context>
<context>
    <name>StaffText</name>
    <message>
        <location filename="../staff/StaffText.qml" line="9"/>
        <source>未开始</source>
        <translation>Not opened</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="10"/>
        <source>进行中</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="11"/>
        <source>已暂停</source>
        <translation>Paused</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="12"/>
        <source>已结束</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="13"/>
        <source>已结束并导出</source>
        <translation>Closed and exported</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="52"/>
        <source>正常</source>
        <translation>Working</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="53"/>
        <source>正在启动</source>
        <translation>Starting</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="54"/>
        <source>未连接</source>
        <translation>Not connected</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="55"/>
        <source>被占用</source>
        <translation>In use by another program</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="56"/>
        <source>已断开，正在重试</source>
        <translation>Disconnected, retrying</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="57"/>
        <source>回放已结束</source>
        <translation>Replay finished</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="58"/>
        <source>未启用</source>
        <translation>Not enabled</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="64"/>
        <source>工作人员</source>
        <translation>Staff</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="65"/>
        <source>现场负责人</source>
        <translation>Venue lead</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="66"/>
        <source>技术人员</source>
        <translation>Technician</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="85"/>
        <source>PIN码不正确</source>
        <translation>Wrong PIN</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="86"/>
        <source>PIN码错误次数过多，已暂时锁定</source>
        <translation>Too many wrong PINs: PIN entry is locked for now</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="87"/>
        <source>这里需要现场负责人的PIN码</source>
        <translation>This needs the venue lead&apos;s PIN</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="88"/>
        <source>本终端尚未装载会场数据包</source>
        <translation>No venue package is loaded</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="89"/>
        <source>登录已过期或权限不足</source>
        <translation>Login expired, or not allowed for this role</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="90"/>
        <source>另一场评议仍在进行</source>
        <translation>Another session is still open</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="91"/>
        <source>有代表正在投票</source>
        <translation>A representative is voting</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="92"/>
        <source>本机已有该场次的记录</source>
        <translation>This kiosk already holds records of that session</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="93"/>
        <source>场次状态已经变化</source>
        <translation>The session has changed state</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="94"/>
        <source>记录核对不一致</source>
        <translation>The records do not add up</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="95"/>
        <source>找不到U盘</source>
        <translation>USB drive not found</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="96"/>
        <source>U盘处于只读状态</source>
        <translation>The USB drive is read-only</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="97"/>
        <source>U盘空间不足</source>
        <translation>The USB drive is full</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="98"/>
        <source>读回校验没有通过</source>
        <translation>Verification failed</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="99"/>
        <source>写入U盘失败</source>
        <translation>Writing to the USB drive failed</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="100"/>
        <source>U盘仍被占用，未能卸载</source>
        <translation>The USB drive is still in use and was not unmounted</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="101"/>
        <source>本机未能卸载U盘</source>
        <translation>This kiosk could not unmount the USB drive</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="102"/>
        <source>会场网络不可用</source>
        <translation>Venue network unavailable</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="103"/>
        <source>本场评议已在全会场结束</source>
        <translation>This session was ended at every kiosk</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="104"/>
        <source>操作没有完成</source>
        <translation>That did not work</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="111"/>
        <source>请重新输入。再错 %1 次将暂时锁定。</source>
        <translation>Please try again. After %1 more wrong PINs, PIN entry locks for a while.</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="111"/>
        <source>请重新输入。</source>
        <translation>Please try again.</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="112"/>
        <source>请在 %1 秒后再试。</source>
        <translation>Try again in %1 seconds.</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="113"/>
        <source>身份核验协助只能由现场负责人操作。</source>
        <translation>Only the venue lead may check a representative in by hand.</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="114"/>
        <source>请技术人员装载会场数据包。</source>
        <translation>The technician needs to load the venue package.</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="115"/>
        <source>请重新输入PIN码。</source>
        <translation>Please enter your PIN again.</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="116"/>
        <source>请先结束正在进行的场次，再开始新的场次。</source>
        <translation>Close the open session before opening another.</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="117"/>
        <source>请等这位代表完成评议，或等本机超时后自动取消，再进行操作。</source>
        <translation>Wait until the representative has finished (or the kiosk has timed out), then try again.</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="118"/>
        <source>已有记录的场次不能重新开始。请联系技术人员。</source>
        <translation>A session with records cannot be opened again. Call the technician.</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="119"/>
        <source>请查看最新状态后再操作。</source>
        <translation>Check the current state and try again.</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="120"/>
        <source>请不要导出，立即联系技术人员。</source>
        <translation>Do not export. Call the technician now.</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="121"/>
        <source>U盘可能已被拔出。请重新插入U盘，稍等几秒后再试。</source>
        <translation>The drive may have been removed. Insert it again, wait a few seconds and retry.</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="122"/>
        <source>请关闭U盘上的写保护开关，或换一个U盘。</source>
        <translation>Switch off the drive&apos;s write protection, or use another drive.</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="123"/>
        <source>请换一个有足够空间的U盘。</source>
        <translation>Use a drive with more free space.</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="124"/>
        <source>U盘上的文件已删除。请重试，或换一个U盘。</source>
        <translation>The file was removed from the drive. Try again, or use another drive.</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="125"/>
        <source>U盘可能已被拔出或已损坏。请重试，或换一个U盘。</source>
        <translation>The drive may have been removed or be damaged. Try again, or use another drive.</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="126"/>
        <source>U盘上的文件已写入并校验无误，但还有程序在使用U盘。请先不要拔出，点“再次卸载”。</source>
        <translation>The file on the drive is written and verified, but a program is still using the drive. Do not pull it out yet: tap “Unmount again”.</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="127"/>
        <source>U盘上的文件已写入并校验无误，但本机无法卸载U盘。请先不要拔出，点“再次卸载”；仍不行请联系技术人员。</source>
        <translation>The file on the drive is written and verified, but this kiosk cannot unmount the drive. Do not pull it out yet: tap “Unmount again”; if that fails, call the technician.</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="128"/>
        <source>本机联系不上会场其他终端。请看会场终端卡片：若显示已要求结束，说明请求已送达；否则请检查网线和交换机后再试，或到各终端分别结束评议。</source>
        <translation>This kiosk cannot reach the venue&apos;s other kiosks. Look at the venue card: if it shows the request, it arrived; otherwise check the cables and the switch and try again, or end the session at each kiosk.</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="129"/>
        <source>现场负责人已要求本会场所有终端结束这一场评议，不能再开始。</source>
        <translation>The venue lead ended this session at every kiosk of the venue; it cannot be started again.</translation>
    </message>
    <message>
        <location filename="../staff/StaffText.qml" line="130"/>
        <source>请重试。如果仍然不行，请联系技术人员。</source>
        <translation>Try again. If it still fails, call the technician.</translation>
    </message>
</context>
<context>
    <name>SuggestionAskScreen</name>
    <message>
        <location filename="../ballot/SuggestionAskScreen.qml" line="10"/>
        <source>意见建议</source>
        <translation>Suggestion</translation>
    </message>
    <message>
        <location filename="../ballot/SuggestionAskScreen.qml" line="11"/>
        <source>您对政府部门的工作有什么意见或建议吗？可以写一条建议，也可以不写，直接继续。</source>
        <translation>Do you have a suggestion for the city departments? You may write one, or go on without.</translation>
    </message>
    <message>
        <location filename="../ballot/SuggestionAskScreen.qml" line="12"/>
        <source>请点选一项</source>
        <translation>Tap one</translation>
    </message>
    <message>
        <location filename="../ballot/SuggestionAskScreen.qml" line="12"/>
        <source>选好后请点“下一个”</source>
        <translation>To change it, tap another one; then tap “Next”</translation>
    </message>
    <message>
        <location filename="../ballot/SuggestionAskScreen.qml" line="22"/>
        <source>您对政府部门的工作有什么意见或建议吗？</source>
        <translation>Do you have a suggestion for the city departments?</translation>
    </message>
    <message>
        <location filename="../ballot/SuggestionAskScreen.qml" line="29"/>
        <source>建议是自愿的，与评议票分开保存，不会和您的评议内容放在一起。</source>
        <translation>Suggestions are optional and kept apart from your ballot, never together with your ratings.</translation>
    </message>
    <message>
        <location filename="../ballot/SuggestionAskScreen.qml" line="42"/>
        <source>写一条建议</source>
        <translation>Write a suggestion</translation>
    </message>
    <message>
        <location filename="../ballot/SuggestionAskScreen.qml" line="52"/>
        <source>不写建议</source>
        <translation>No suggestion</translation>
    </message>
</context>
<context>
    <name>SuggestionDepartmentScreen</name>
    <message>
        <location filename="../ballot/SuggestionDepartmentScreen.qml" line="9"/>
        <source>意见建议</source>
        <translation>Suggestion</translation>
    </message>
    <message>
        <location filename="../ballot/SuggestionDepartmentScreen.qml" line="10"/>
        <source>这条建议是给哪个部门的？也可以选择不针对具体部门。</source>
        <translation>Which department is the suggestion for? You may also choose no particular department.</translation>
    </message>
    <message>
        <location filename="../ballot/SuggestionDepartmentScreen.qml" line="11"/>
        <source>请点选一项</source>
        <translation>Tap one</translation>
    </message>
    <message>
        <location filename="../ballot/SuggestionDepartmentScreen.qml" line="11"/>
        <source>选好后请点“下一个”</source>
        <translation>To change it, tap another one; then tap “Next”</translation>
    </message>
    <message>
        <location filename="../ballot/SuggestionDepartmentScreen.qml" line="20"/>
        <source>这条建议是给哪个部门的？</source>
        <translation>Which department is it for?</translation>
    </message>
    <message>
        <location filename="../ballot/SuggestionDepartmentScreen.qml" line="27"/>
        <source>不针对具体部门</source>
        <translation>No particular department</translation>
    </message>
</context>
<context>
    <name>SuggestionTextScreen</name>
    <message>
        <location filename="../ballot/SuggestionTextScreen.qml" line="13"/>
        <source>意见建议</source>
        <translation>Suggestion</translation>
    </message>
    <message>
        <location filename="../ballot/SuggestionTextScreen.qml" line="15"/>
        <source>请用屏幕下方的键盘写下您的建议。输入拼音字母后，在候选栏中点选汉字。写好后点“写好了”。</source>
        <translation>Write your suggestion with the keyboard below. Type Pinyin, then tap the characters in the bar above the keys. Tap “Finished” when done.</translation>
    </message>
    <message>
        <location filename="../ballot/SuggestionTextScreen.qml" line="16"/>
        <source>完成，返回核对</source>
        <translation>Done, back to review</translation>
    </message>
    <message>
        <location filename="../ballot/SuggestionTextScreen.qml" line="16"/>
        <source>写好了</source>
        <translation>Finished</translation>
    </message>
    <message>
        <location filename="../ballot/SuggestionTextScreen.qml" line="17"/>
        <source>%1 / %2 字</source>
        <translation>%1 / %2 characters</translation>
    </message>
    <message>
        <location filename="../ballot/SuggestionTextScreen.qml" line="26"/>
        <source>请写下您的建议</source>
        <translation>Write your suggestion</translation>
    </message>
    <message>
        <location filename="../ballot/SuggestionTextScreen.qml" line="26"/>
        <source>请写下您关于“%1”的建议</source>
        <translation>Write your suggestion about “%1”</translation>
    </message>
    <message>
        <location filename="../ballot/SuggestionTextScreen.qml" line="93"/>
        <source>用下方键盘输入：先输入拼音字母，再在候选栏中点选汉字。</source>
        <translation>Use the keyboard below: type Pinyin, then tap the characters in the bar above the keys.</translation>
    </message>
</context>
<context>
    <name>SuggestionTopicScreen</name>
    <message>
        <location filename="../ballot/SuggestionTopicScreen.qml" line="9"/>
        <source>意见建议</source>
        <translation>Suggestion</translation>
    </message>
    <message>
        <location filename="../ballot/SuggestionTopicScreen.qml" line="10"/>
        <source>请选择建议的方面：</source>
        <translation>Choose the topic: </translation>
    </message>
    <message>
        <location filename="../ballot/SuggestionTopicScreen.qml" line="11"/>
        <source>请点选一项</source>
        <translation>Tap one</translation>
    </message>
    <message>
        <location filename="../ballot/SuggestionTopicScreen.qml" line="11"/>
        <source>选好后请点“下一个”</source>
        <translation>To change it, tap another one; then tap “Next”</translation>
    </message>
    <message>
        <location filename="../ballot/SuggestionTopicScreen.qml" line="20"/>
        <source>您的建议是关于哪个方面的？</source>
        <translation>What is your suggestion about?</translation>
    </message>
</context>
<context>
    <name>TechnicianScreen</name>
    <message>
        <location filename="../staff/TechnicianScreen.qml" line="11"/>
        <source>技术维护</source>
        <translation>Technician</translation>
    </message>
    <message>
        <location filename="../staff/TechnicianScreen.qml" line="34"/>
        <source>终端编号</source>
        <translation>Kiosk id</translation>
    </message>
    <message>
        <location filename="../staff/TechnicianScreen.qml" line="35"/>
        <source>终端密钥指纹</source>
        <translation>Kiosk key fingerprint</translation>
    </message>
    <message>
        <location filename="../staff/TechnicianScreen.qml" line="36"/>
        <source>主办方根密钥指纹</source>
        <translation>Office root key fingerprint</translation>
    </message>
    <message>
        <location filename="../staff/TechnicianScreen.qml" line="37"/>
        <source>数据包版本</source>
        <translation>Package version</translation>
    </message>
    <message>
        <location filename="../staff/TechnicianScreen.qml" line="38"/>
        <source>数据目录</source>
        <translation>State directory</translation>
    </message>
    <message>
        <location filename="../staff/TechnicianScreen.qml" line="40"/>
        <source>存储</source>
        <translation>Storage</translation>
    </message>
    <message>
        <location filename="../staff/TechnicianScreen.qml" line="41"/>
        <source>可用 %1，共 %2</source>
        <translation>%1 free of %2</translation>
    </message>
    <message>
        <location filename="../staff/TechnicianScreen.qml" line="50"/>
        <source>返回控制台</source>
        <translation>Back to the console</translation>
    </message>
    <message>
        <location filename="../staff/TechnicianScreen.qml" line="57"/>
        <location filename="../staff/TechnicianScreen.qml" line="69"/>
        <source>退出终端模式</source>
        <translation>Leave kiosk mode</translation>
    </message>
    <message>
        <location filename="../staff/TechnicianScreen.qml" line="67"/>
        <source>退出终端模式？</source>
        <translation>Leave kiosk mode?</translation>
    </message>
    <message>
        <location filename="../staff/TechnicianScreen.qml" line="68"/>
        <source>评议程序将关闭，屏幕回到系统桌面。已保存的数据不受影响。</source>
        <translation>The kiosk program closes and the screen returns to the system. Stored data is not affected.</translation>
    </message>
    <message>
        <location filename="../staff/TechnicianScreen.qml" line="71"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>UnprovisionedScreen</name>
    <message>
        <location filename="../shell/UnprovisionedScreen.qml" line="18"/>
        <source>评议终端尚未就绪</source>
        <translation>This kiosk is not ready</translation>
    </message>
    <message>
        <location filename="../shell/UnprovisionedScreen.qml" line="21"/>
        <source>本终端还没有装载会场数据包，请联系技术人员。</source>
        <translation>This kiosk has no venue package yet. Please call the technician.</translation>
    </message>
    <message>
        <location filename="../shell/UnprovisionedScreen.qml" line="35"/>
        <source>本终端还没有装载会场数据包</source>
        <translation>No venue package is loaded yet</translation>
    </message>
    <message>
        <location filename="../shell/UnprovisionedScreen.qml" line="36"/>
        <source>请技术人员为本机登记并装载会场数据包（见操作手册）。在此之前，本机不能用于评议。</source>
        <translation>The technician enrols this kiosk and loads the venue package (see the operator guide). Until then it cannot be used for voting.</translation>
    </message>
    <message>
        <location filename="../shell/UnprovisionedScreen.qml" line="39"/>
        <source>终端编号：%1</source>
        <translation>Kiosk id: %1</translation>
    </message>
    <message>
        <location filename="../shell/UnprovisionedScreen.qml" line="39"/>
        <source>（未登记）</source>
        <translation>(not enrolled)</translation>
    </message>
    <message>
        <location filename="../shell/UnprovisionedScreen.qml" line="43"/>
        <source>终端密钥指纹：%1</source>
        <translation>Kiosk key fingerprint: %1</translation>
    </message>
    <message>
        <location filename="../shell/UnprovisionedScreen.qml" line="49"/>
        <source>关闭程序</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>VoterFrame</name>
    <message>
        <location filename="../ballot/VoterFrame.qml" line="20"/>
        <source>完成，返回核对</source>
        <translation>Done, back to review</translation>
    </message>
    <message>
        <location filename="../ballot/VoterFrame.qml" line="20"/>
        <source>下一个</source>
        <translation>Next</translation>
    </message>
    <message>
        <location filename="../ballot/VoterFrame.qml" line="24"/>
        <source>返回核对</source>
        <translation>Back to review</translation>
    </message>
    <message>
        <location filename="../ballot/VoterFrame.qml" line="24"/>
        <source>上一个</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../ballot/VoterFrame.qml" line="39"/>
        <source>%1 代表，您好</source>
        <translation>Welcome, %1</translation>
    </message>
    <message>
        <location filename="../ballot/VoterFrame.qml" line="70"/>
        <source>部门评议</source>
        <translation>Departments</translation>
    </message>
    <message>
        <location filename="../ballot/VoterFrame.qml" line="70"/>
        <source>问卷调查</source>
        <translation>Questionnaire</translation>
    </message>
    <message>
        <location filename="../ballot/VoterFrame.qml" line="70"/>
        <source>纪律调查</source>
        <translation>Survey</translation>
    </message>
    <message>
        <location filename="../ballot/VoterFrame.qml" line="70"/>
        <source>意见建议</source>
        <translation>Suggestion</translation>
    </message>
    <message>
        <location filename="../ballot/VoterFrame.qml" line="70"/>
        <source>核对提交</source>
        <translation>Review and cast</translation>
    </message>
    <message>
        <location filename="../ballot/VoterFrame.qml" line="124"/>
        <source>退出评议</source>
        <translation>Leave</translation>
    </message>
</context>
<context>
    <name>WelcomeScreen</name>
    <message>
        <location filename="../shell/WelcomeScreen.qml" line="22"/>
        <source>%1年%2月%3日</source>
        <translation>%1-%2-%3</translation>
    </message>
    <message>
        <location filename="../shell/WelcomeScreen.qml" line="29"/>
        <source>评议进行中，共 %1 个部门</source>
        <translation>Voting is open: %1 departments</translation>
    </message>
    <message>
        <location filename="../shell/WelcomeScreen.qml" line="29"/>
        <source>请稍候，上一位代表即将完成</source>
        <translation>Please wait: the previous representative is finishing</translation>
    </message>
    <message>
        <location filename="../shell/WelcomeScreen.qml" line="30"/>
        <source>评议暂停中，请稍候</source>
        <translation>Voting is paused. Please wait</translation>
    </message>
    <message>
        <location filename="../shell/WelcomeScreen.qml" line="31"/>
        <source>本场评议已结束，感谢参与</source>
        <translation>This session has ended. Thank you.</translation>
    </message>
    <message>
        <location filename="../shell/WelcomeScreen.qml" line="32"/>
        <source>上一场评议已结束，下一场尚未开始，请稍候</source>
        <translation>The last session has ended; the next has not started. Please wait.</translation>
    </message>
    <message>
        <location filename="../shell/WelcomeScreen.qml" line="33"/>
        <source>评议尚未开始，请稍候</source>
        <translation>Voting has not started yet. Please wait</translation>
    </message>
    <message>
        <location filename="../shell/WelcomeScreen.qml" line="51"/>
        <source>欢迎参加市民评议。</source>
        <translation>Welcome to the citizens&apos; evaluation. </translation>
    </message>
    <message>
        <location filename="../shell/WelcomeScreen.qml" line="52"/>
        <source>请点击屏幕中间的“开始评议”按钮，或把邀请函上的二维码放到扫描器下方。</source>
        <translation>Tap “Start” in the middle of the screen, or hold the QR code of your invitation under the scanner.</translation>
    </message>
    <message>
        <location filename="../shell/WelcomeScreen.qml" line="88"/>
        <source>欢迎参加市民评议</source>
        <translation>Welcome to the citizens&apos; evaluation</translation>
    </message>
    <message>
        <location filename="../shell/WelcomeScreen.qml" line="117"/>
        <source>开始评议</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../shell/WelcomeScreen.qml" line="125"/>
        <source>也可以直接把邀请函上的二维码放到扫描器下方</source>
        <translation>Or simply hold your invitation&apos;s QR code under the scanner</translation>
    </message>
    <message>
        <location filename="../shell/WelcomeScreen.qml" line="144"/>
        <source>启动用时 %1 秒</source>
        <translation>Started in %1 s</translation>
    </message>
    <message>
        <location filename="../shell/WelcomeScreen.qml" line="145"/>
        <source>终端 %1</source>
        <translation>Kiosk %1</translation>
    </message>
    <message>
        <location filename="../shell/WelcomeScreen.qml" line="157"/>
        <source>工作人员</source>
        <translation>Staff</translation>
    </message>
</context>
</TS>
