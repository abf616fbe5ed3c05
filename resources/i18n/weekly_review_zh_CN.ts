<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
    <context>
        <name>AlertsModel</name>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="149" />
            <source>Team</source>
            <translation>团队</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="150" />
            <source>Metric</source>
            <translation>指标</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="151" />
            <source>Value</source>
            <translation>数值</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="152" />
            <source>Previous</source>
            <translation>上次</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="153" />
            <source>Change</source>
            <translation>变化</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="153" />
            <source>Target</source>
            <translation>目标</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="154" />
            <source>Rule</source>
            <translation>规则</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="155" />
            <source>Source line</source>
            <translation>原文</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="160" />
            <source>below target</source>
            <translation>未达目标</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="162" />
            <source>unusual change</source>
            <translation>异常变化</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="164" />
            <source>AB-grade incidents</source>
            <translation>AB级事故</translation>
        </message>
    </context>
    <context>
        <name>ChartPanel</name>
        <message>
            <location filename="../../desktop/ui/widgets/chart/panel.py" line="109" />
            <source>Filter metrics…</source>
            <translation>筛选指标…</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/chart/panel.py" line="110" />
            <source>Target</source>
            <translation>目标线</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/chart/panel.py" line="111" />
            <source>Show the target of the charted rates as a dashed line</source>
            <translation>以虚线显示图中成功率的目标值</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/chart/panel.py" line="112" />
            <source>Reset zoom</source>
            <translation>重置缩放</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/chart/panel.py" line="113" />
            <source>Defaults</source>
            <translation>恢复默认</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/chart/panel.py" line="114" />
            <source>Chart this folder's default metrics again</source>
            <translation>重新绘制此文件夹的默认指标</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/chart/panel.py" line="118" />
            <source>Success rates</source>
            <translation>成功率</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/chart/panel.py" line="119" />
            <source>Availability &amp; incidents</source>
            <translation>可用性与事故</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/chart/panel.py" line="120" />
            <source>Availability</source>
            <translation>可用性</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/chart/panel.py" line="121" />
            <source>Incidents</source>
            <translation>事故</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/chart/panel.py" line="122" />
            <source>incidents</source>
            <translation>事故数</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/chart/panel.py" line="123" />
            <source>target %1</source>
            <translation>目标 %1</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/chart/panel.py" line="259" />
            <source>the image could not be saved</source>
            <translation>无法保存图像</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/chart/panel.py" line="124" />
            <source>%1 (right axis)</source>
            <translation>%1（右轴）</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/chart/panel.py" line="265" />
            <source>KPIs: %1</source>
            <translation>指标：%1</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/chart/panel.py" line="265" />
            <source>KPIs</source>
            <translation>指标</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/chart/panel.py" line="341" />
            <source>Loading this folder's KPIs…</source>
            <translation>正在读取此文件夹的指标…</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/chart/panel.py" line="343" />
            <source>No KPIs found in this folder</source>
            <translation>此文件夹中未找到 KPI</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/chart/panel.py" line="345" />
            <source>Check metrics below to chart them</source>
            <translation>在下方勾选指标以绘制图表</translation>
        </message>
        <message>
            <source>All figures</source>
            <translation>全部数字</translation>
        </message>
        <message>
            <source>Also list one-off labelled numbers, not only the KPIs that recur across reports</source>
            <translation>也列出只出现一次的数字，而不只是在多份周报中反复出现的 KPI</translation>
        </message>
    </context>
    <context>
        <name>CompareMetricsModel</name>
        <message>
            <location filename="../../desktop/ui/models/compare.py" line="93" />
            <source>Metric</source>
            <translation>指标</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/models/compare.py" line="93" />
            <source>Older</source>
            <translation>较早</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/models/compare.py" line="93" />
            <source>Newer</source>
            <translation>较新</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/models/compare.py" line="93" />
            <source>Δ</source>
            <translation>Δ</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/models/compare.py" line="110" />
            <source>new</source>
            <translation>新增</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/models/compare.py" line="112" />
            <source>gone</source>
            <translation>已消失</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/models/compare.py" line="137" />
            <source>better</source>
            <translation>改善</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/models/compare.py" line="138" />
            <source>worse</source>
            <translation>变差</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/models/compare.py" line="139" />
            <source>unchanged</source>
            <translation>无变化</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/models/compare.py" line="142" />
            <source>only in one of the two weeks</source>
            <translation>仅出现在其中一周</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/models/compare.py" line="144" />
            <source>not comparable (different units)</source>
            <translation>无法比较（单位不同）</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/models/compare.py" line="146" />
            <source>no known better direction</source>
            <translation>不清楚哪个方向更好</translation>
        </message>
    </context>
    <context>
        <name>ComparePresenter</name>
        <message>
            <location filename="../../desktop/ui/presenters/compare.py" line="111" />
            <source>No earlier report to compare with</source>
            <translation>没有更早的周报可供对比</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/presenters/compare.py" line="129" />
            <source>Cannot compare: “%1” names no single report (%2)</source>
            <translation>无法对比：“%1”对应的不是唯一一份周报（%2）</translation>
        </message>
    </context>
    <context>
        <name>CompareView</name>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="310" />
            <source>Pick two reports to compare.</source>
            <translation>请选择两份周报进行对比。</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="74" />
            <source>← Back to reports</source>
            <translation>← 返回周报</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="75" />
            <source>Older week (left)</source>
            <translation>较早的一周（左侧）</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="76" />
            <source>Newer week (right)</source>
            <translation>较新的一周（右侧）</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="77" />
            <source>Swap sides</source>
            <translation>交换左右</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="78" />
            <source>Changes only</source>
            <translation>仅显示变化</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="80" />
            <source>Previous change</source>
            <translation>上一处变化</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="81" />
            <source>Next change</source>
            <translation>下一处变化</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="86" />
            <source>Export…</source>
            <translation>导出…</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="87" />
            <source>Export as HTML…</source>
            <translation>导出为 HTML…</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="88" />
            <source>Export as PDF…</source>
            <translation>导出为 PDF…</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="89" />
            <location filename="../../desktop/ui/widgets/compare/view.py" line="179" />
            <source>Key figures</source>
            <translation>关键指标</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="90" />
            <location filename="../../desktop/ui/widgets/compare/view.py" line="180" />
            <source>Last week's plan</source>
            <translation>上周计划</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="96" />
            <source>Pair</source>
            <translation>配对</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="97" />
            <source>Unpair</source>
            <translation>取消配对</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="98" />
            <source>Treat these two sections as the same topic</source>
            <translation>将这两个章节视为同一主题</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="99" />
            <source>These two sections are different topics</source>
            <translation>这两个章节是不同的主题</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="95" />
            <source>Pairing:</source>
            <translation>章节配对：</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="92" />
            <source>%1 has no plan for the next week, so there is nothing to check.</source>
            <translation>%1 没有下周计划，因此无可核对的计划项。</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="172" />
            <source>new</source>
            <translation>新增</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="173" />
            <source>removed</source>
            <translation>已删除</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="174" />
            <source>renamed</source>
            <translation>已改名</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="175" />
            <source>paired by hand</source>
            <translation>手动配对</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="176" />
            <source>Neither report has sections.</source>
            <translation>两份周报都没有章节。</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="177" />
            <source>Metric</source>
            <translation>指标</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="178" />
            <source>Δ</source>
            <translation>Δ</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="181" />
            <source>Sections</source>
            <translation>章节</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="182" />
            <source>gone</source>
            <translation>已消失</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="183" />
            <source>done</source>
            <translation>已完成</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="184" />
            <source>in progress</source>
            <translation>进行中</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="185" />
            <source>not found</source>
            <translation>未找到</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="186" />
            <source>line</source>
            <translation>行</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="311" />
            <source>This report could not be read.</source>
            <translation>无法读取这份周报。</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="319" />
            <source>No comparison</source>
            <translation>未在对比</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="322" />
            <source>changed sections: %1</source>
            <translation>有变化的章节：%1</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="328" />
            <source>there is no comparison to export</source>
            <translation>没有可导出的对比</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="368" />
            <source>Export comparison as HTML</source>
            <translation>将对比导出为 HTML</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/compare/view.py" line="372" />
            <source>Export comparison as PDF</source>
            <translation>将对比导出为 PDF</translation>
        </message>
    </context>
    <context>
        <name>ExportService</name>
        <message>
            <location filename="../../desktop/ui/exports.py" line="57" />
            <source>PNG images (*.png)</source>
            <translation>PNG 图像 (*.png)</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/exports.py" line="58" />
            <source>CSV files (*.csv)</source>
            <translation>CSV 文件 (*.csv)</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/exports.py" line="59" />
            <source>HTML files (*.html)</source>
            <translation>HTML 文件 (*.html)</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/exports.py" line="60" />
            <source>PDF files (*.pdf)</source>
            <translation>PDF 文件 (*.pdf)</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/exports.py" line="61" />
            <source>Markdown files (*.md)</source>
            <translation>Markdown 文件 (*.md)</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/exports.py" line="62" />
            <source>JSON files (*.json)</source>
            <translation>JSON 文件 (*.json)</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/exports.py" line="92" />
            <location filename="../../desktop/ui/exports.py" line="113" />
            <location filename="../../desktop/ui/exports.py" line="129" />
            <source>Export</source>
            <translation>导出</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/exports.py" line="106" />
            <source>%1× (%2 × %3 pixels)</source>
            <translation>%1×（%2 × %3 像素）</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/exports.py" line="113" />
            <source>Image size:</source>
            <translation>图片尺寸：</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/exports.py" line="130" />
            <source>Could not write %1: %2</source>
            <translation>无法写入 %1：%2</translation>
        </message>
    </context>
    <context>
        <name>FolderPresenter</name>
        <message>
            <location filename="../../desktop/ui/presenters/folder.py" line="59" />
            <source>Reading %1 …</source>
            <translation>正在读取 %1 …</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/presenters/folder.py" line="63" />
            <source>Opening %1 …</source>
            <translation>正在打开 %1 …</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/presenters/folder.py" line="73" />
            <source>Weekly Review may not read %1. Check the folder's permissions, or open another folder with Ctrl+O.</source>
            <translation>Weekly Review 没有读取 %1 的权限。请检查该文件夹的权限，或按 Ctrl+O 打开其他文件夹。</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/presenters/folder.py" line="77" />
            <source>Cannot read %1</source>
            <translation>无法读取 %1</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/presenters/folder.py" line="88" />
            <source>You are looking at sample reports. Open your own folder of weekly reports with File → Open Folder (Ctrl+O); Weekly Review only reads it, never changes it.</source>
            <translation>当前显示的是示例周报。请用“文件 → 打开文件夹”(Ctrl+O) 打开你自己的周报文件夹；Weekly Review 只读取，从不修改其中的文件。</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/presenters/folder.py" line="116" />
            <source>Indexing failed: %1</source>
            <translation>索引失败：%1</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/presenters/folder.py" line="119" />
            <source>The folder could not be indexed: %1</source>
            <translation>无法为该文件夹建立索引：%1</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/presenters/folder.py" line="125" />
            <source>Indexing cancelled; press F5 to continue</source>
            <translation>索引已取消；按 F5 继续</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/presenters/folder.py" line="137" />
            <location filename="../../desktop/ui/presenters/folder.py" line="116" />
            <source>Changes to the folder: %1</source>
            <translation>文件夹的改动：%1</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/presenters/folder.py" line="132" />
            <source>No weekly reports were found in %1.</source>
            <translation>在 %1 中没有找到周报。</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/presenters/folder.py" line="139" />
            <source>Some files could not be read: see the Problems panel.</source>
            <translation>部分文件无法读取：请查看“问题”面板。</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/presenters/folder.py" line="142" />
            <source>Weekly Review reads Markdown and text files (.md, .markdown, .txt) in the folder and its subfolders. Open another folder with Ctrl+O.</source>
            <translation>Weekly Review 读取该文件夹及其子文件夹中的 Markdown 和文本文件（.md、.markdown、.txt）。按 Ctrl+O 打开其他文件夹。</translation>
        </message>
    </context>
    <context>
        <name>IncidentsModel</name>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="189" />
            <source>Team</source>
            <translation>团队</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="189" />
            <source>Date</source>
            <translation>日期</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="189" />
            <source>Time</source>
            <translation>时间</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="189" />
            <source>Incident</source>
            <translation>事件</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../../desktop/ui/main_window.py" line="192" />
            <source>Search results</source>
            <translation>搜索结果</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/main_window.py" line="264" />
            <source>Open Folder</source>
            <translation>打开文件夹</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/main_window.py" line="264" />
            <source>Not a folder: %1</source>
            <translation>不是文件夹：%1</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/main_window.py" line="391" />
            <source>Search for “%1” failed: %2</source>
            <translation>搜索“%1”失败：%2</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/main_window.py" line="304" />
            <source>Not a report in this folder: %1</source>
            <translation>不是此文件夹中的周报：%1</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/main_window.py" line="425" />
            <source>Saved %1</source>
            <translation>已保存 %1</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/main_window.py" line="402" />
            <source>Export Chart</source>
            <translation>导出图表</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/main_window.py" line="410" />
            <source>Export Chart Data</source>
            <translation>导出图表数据</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/main_window.py" line="416" />
            <location filename="../../desktop/ui/main_window.py" line="421" />
            <source>Export Comparison</source>
            <translation>导出对比</translation>
        </message>
        <message>
            <source>Charted: %1</source>
            <translation>已绘制：%1</translation>
        </message>
    </context>
    <context>
        <name>MetricListModel</name>
        <message numerus="yes">
            <location filename="../../desktop/ui/models/metric_list.py" line="102" />
            <source>Reported in %n report(s)</source>
            <translation>
                <numerusform>出现在 %n 份周报中</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>NoticeBar</name>
        <message>
            <location filename="../../desktop/ui/widgets/notice.py" line="33" />
            <source>Open Folder…</source>
            <translation>打开文件夹…</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/notice.py" line="34" />
            <source>Hide this note</source>
            <translation>隐藏此提示</translation>
        </message>
    </context>
    <context>
        <name>OverviewPage</name>
        <message>
            <location filename="../../desktop/ui/overview/page.py" line="131" />
            <source>Reading…</source>
            <translation>读取中…</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/page.py" line="146" />
            <source>There is no overview to export yet.</source>
            <translation>还没有可导出的概览。</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/page.py" line="172" />
            <source>No dated reports in this folder.</source>
            <translation>此文件夹中没有带日期的周报。</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/page.py" line="187" />
            <source>Could not read the overview: %1</source>
            <translation>无法读取概览：%1</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/page.py" line="214" />
            <source>Week:</source>
            <translation>周：</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/page.py" line="221" />
            <source>KPI alerts (%1)</source>
            <translation>KPI 预警（%1）</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/page.py" line="222" />
            <source>Incidents (%1)</source>
            <translation>生产事件（%1）</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/page.py" line="223" />
            <source>Plans (%1)</source>
            <translation>计划（%1）</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/page.py" line="224" />
            <source>Silent topics (%1)</source>
            <translation>沉寂话题（%1）</translation>
        </message>
        <message>
            <source>Open follow-ups (%1)</source>
            <translation>待跟进事项（%1）</translation>
        </message>
    </context>
    <context>
        <name>PlanModel</name>
        <message>
            <location filename="../../desktop/ui/models/compare.py" line="162" />
            <source>Planned item</source>
            <translation>计划事项</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/models/compare.py" line="162" />
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/models/compare.py" line="162" />
            <source>Evidence</source>
            <translation>依据</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/models/compare.py" line="174" />
            <source>done</source>
            <translation>已完成</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/models/compare.py" line="175" />
            <source>in progress</source>
            <translation>进行中</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/models/compare.py" line="176" />
            <source>not found</source>
            <translation>未找到</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/models/compare.py" line="191" />
            <source>Line %1: %2</source>
            <translation>第 %1 行：%2</translation>
        </message>
    </context>
    <context>
        <name>PlansModel</name>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="207" />
            <source>Team</source>
            <translation>团队</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="207" />
            <source>Plan item</source>
            <translation>计划事项</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="207" />
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="207" />
            <source>Weeks open</source>
            <translation>未完成周数</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="211" />
            <source>done</source>
            <translation>已完成</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="213" />
            <source>in progress</source>
            <translation>进行中</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="214" />
            <source>not found</source>
            <translation>未提及</translation>
        </message>
    </context>
    <context>
        <name>ProblemsModel</name>
        <message>
            <location filename="../../desktop/ui/models/problems.py" line="23" />
            <source>File</source>
            <translation>文件</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/models/problems.py" line="23" />
            <source>Problem</source>
            <translation>问题</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/models/problems.py" line="23" />
            <source>Details</source>
            <translation>详情</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/models/problems.py" line="26" />
            <source>skipped</source>
            <translation>已跳过</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/models/problems.py" line="26" />
            <source>warning</source>
            <translation>警告</translation>
        </message>
    </context>
    <context>
        <name>ProgressModel</name>
        <message>
            <location filename="../../desktop/ui/topics/progress_model.py" line="60" />
            <source>Item</source>
            <translation>事项</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/topics/progress_model.py" line="61" />
            <source>Team</source>
            <translation>团队</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/topics/progress_model.py" line="62" />
            <source>Trend</source>
            <translation>趋势</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/topics/progress_model.py" line="63" />
            <source>Latest</source>
            <translation>最新</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/topics/progress_model.py" line="64" />
            <source>4 weeks</source>
            <translation>4 周变化</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/topics/progress_model.py" line="65" />
            <source>Reports</source>
            <translation>周报数</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/topics/progress_model.py" line="66" />
            <source>Flags</source>
            <translation>标记</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop/ui/topics/progress_model.py" line="119" />
            <source>stalled for %n reports</source>
            <translation>
                <numerusform>已连续 %n 份周报未变</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop/ui/topics/progress_model.py" line="121" />
            <source>went backwards</source>
            <translation>进度倒退</translation>
        </message>
    </context>
    <context>
        <name>ProgressView</name>
        <message>
            <location filename="../../desktop/ui/topics/progress_view.py" line="126" />
            <location filename="../../desktop/ui/topics/progress_view.py" line="127" />
            <source>Chart this item</source>
            <translation>绘制此事项</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/topics/progress_view.py" line="148" />
            <source>loading…</source>
            <translation>正在加载…</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop/ui/topics/progress_view.py" line="150" />
            <source>%n work items with progress figures</source>
            <translation>
                <numerusform>%n 个带进度的事项</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop/ui/topics/progress_view.py" line="161" />
            <source>The progress figures could not be read: %1</source>
            <translation>无法读取进度数据：%1</translation>
        </message>
    </context>
    <context>
        <name>ReaderPresenter</name>
        <message>
            <location filename="../../desktop/ui/presenters/reader.py" line="80" />
            <source>%1 cannot be shown: its file has changed since it was indexed, or the folder cannot be reached. It is shown again once the file has been read.</source>
            <translation>无法显示 %1：它的文件在建立索引后已被修改，或者无法访问文件夹。文件读取后会再次显示。</translation>
        </message>
    </context>
    <context>
        <name>ReportTreeModel</name>
        <message>
            <location filename="../../desktop/ui/models/report_tree.py" line="107" />
            <source>Reports</source>
            <translation>周报</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/models/report_tree.py" line="191" />
            <source>Other reports</source>
            <translation>其他周报</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/models/report_tree.py" line="295" />
            <source>the title</source>
            <translation>标题</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/models/report_tree.py" line="296" />
            <source>the front matter</source>
            <translation>文件头元数据</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/models/report_tree.py" line="297" />
            <source>a date property</source>
            <translation>日期属性</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/models/report_tree.py" line="298" />
            <source>a date line at the top</source>
            <translation>开头的日期行</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/models/report_tree.py" line="299" />
            <source>the week label</source>
            <translation>周次标签</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/models/report_tree.py" line="300" />
            <source>the file name</source>
            <translation>文件名</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/models/report_tree.py" line="301" />
            <source>the file's modification time</source>
            <translation>文件修改时间</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/models/report_tree.py" line="307" />
            <source>%1 · date from %2</source>
            <translation>%1 · 日期取自%2</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/models/report_tree.py" line="130" />
            <source>line %1</source>
            <translation>第 %1 行</translation>
        </message>
        <message>
            <source>Changed since you read it</source>
            <translation>阅读后已有改动</translation>
        </message>
        <message>
            <source>%1 of %2 reports read</source>
            <translation>已读 %1 / %2 份</translation>
        </message>
        <message>
            <source>Undated</source>
            <translation>无日期</translation>
        </message>
    </context>
    <context>
        <name>ReportTreePanel</name>
        <message>
            <location filename="../../desktop/ui/widgets/report_tree.py" line="81" />
            <source>Filter reports and sections…</source>
            <translation>筛选周报和章节…</translation>
        </message>
    </context>
    <context>
        <name>SearchPanel</name>
        <message>
            <location filename="../../desktop/ui/widgets/search_panel.py" line="90" />
            <source>Show more</source>
            <translation>显示更多</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/search_panel.py" line="93" />
            <source>Type in the search box (Ctrl+F) to search every report's text</source>
            <translation>在搜索框中输入（Ctrl+F），搜索所有周报的正文</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop/ui/widgets/search_panel.py" line="96" />
            <source>The first %n matches for “%1”; there are more</source>
            <translation>
                <numerusform>“%1”的前 %n 处匹配；还有更多</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop/ui/widgets/search_panel.py" line="101" />
            <source>%n match(es) for “%1”</source>
            <translation>
                <numerusform>“%1”共有 %n 处匹配</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/search_panel.py" line="103" />
            <source>No matches for “%1”</source>
            <translation>没有找到“%1”</translation>
        </message>
    </context>
    <context>
        <name>ShortcutsDialog</name>
        <message>
            <location filename="../../desktop/ui/widgets/shortcuts_dialog.py" line="49" />
            <source>Keyboard Shortcuts</source>
            <translation>键盘快捷键</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/shortcuts_dialog.py" line="52" />
            <source>Action</source>
            <translation>操作</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/shortcuts_dialog.py" line="52" />
            <source>Shortcut</source>
            <translation>快捷键</translation>
        </message>
    </context>
    <context>
        <name>SilentTopicsModel</name>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="234" />
            <source>Team</source>
            <translation>团队</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="234" />
            <source>Topic</source>
            <translation>话题</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="234" />
            <source>Last seen</source>
            <translation>最后出现</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="234" />
            <source>Weeks silent</source>
            <translation>沉寂周数</translation>
        </message>
    </context>
    <context>
        <name>StatusArea</name>
        <message>
            <location filename="../../desktop/ui/status_area.py" line="48" />
            <source>Indexing %v / %m</source>
            <translation>正在索引 %v / %m</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/status_area.py" line="49" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/status_area.py" line="50" />
            <source>Stop indexing; what is indexed so far is kept</source>
            <translation>停止索引；已索引的内容会保留</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/status_area.py" line="78" />
            <source>%1 reports · %2 sections · %3 metrics</source>
            <translation>%1 份周报 · %2 个章节 · %3 项指标</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/status_area.py" line="94" />
            <source>Problems (%1)</source>
            <translation>问题（%1）</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/status_area.py" line="94" />
            <source>Problems</source>
            <translation>问题</translation>
        </message>
    </context>
    <context>
        <name>TeamsModel</name>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="119" />
            <source>Team</source>
            <translation>团队</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="120" />
            <source>Report</source>
            <translation>周报</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="121" />
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="122" />
            <source>Alerts</source>
            <translation>预警</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="123" />
            <source>Missing weeks</source>
            <translation>缺交周数</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="128" />
            <source>present</source>
            <translation>已提交</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="129" />
            <source>missing</source>
            <translation>缺交</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/overview/models.py" line="129" />
            <source>not due (biweekly)</source>
            <translation>本周无需提交（双周）</translation>
        </message>
        <message>
            <source>Read</source>
            <translation>已读</translation>
        </message>
        <message>
            <source>read</source>
            <translation>已读</translation>
        </message>
        <message>
            <source>unread</source>
            <translation>未读</translation>
        </message>
        <message>
            <source>changed since read</source>
            <translation>读后有改动</translation>
        </message>
    </context>
    <context>
        <name>TimelineAction</name>
        <message>
            <location filename="../../desktop/ui/topics/menu.py" line="18" />
            <source>Timeline of this topic</source>
            <translation>此主题的时间线</translation>
        </message>
    </context>
    <context>
        <name>TimelineModel</name>
        <message>
            <location filename="../../desktop/ui/topics/timeline_model.py" line="174" />
            <source>%1 — not mentioned</source>
            <translation>%1 — 未提及</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/topics/timeline_model.py" line="202" />
            <source>first mention</source>
            <translation>首次出现</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/topics/timeline_model.py" line="210" />
            <source>unchanged</source>
            <translation>无变化</translation>
        </message>
    </context>
    <context>
        <name>TeamBox</name>
        <message>
            <location filename="../../desktop/ui/widgets/chart/teams.py" line="61" />
            <source>All teams</source>
            <translation>所有团队</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/widgets/chart/teams.py" line="62" />
            <source>The team whose KPIs are charted</source>
            <translation>图表中显示其 KPI 的团队</translation>
        </message>
    </context>
    <context>
        <name>TimelineView</name>
        <message>
            <location filename="../../desktop/ui/topics/timeline_view.py" line="176" />
            <source>Export HTML…</source>
            <translation>导出 HTML…</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/topics/timeline_view.py" line="177" />
            <source>Export Markdown…</source>
            <translation>导出 Markdown…</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/topics/timeline_view.py" line="198" />
            <source>loading…</source>
            <translation>正在加载…</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop/ui/topics/timeline_view.py" line="204" />
            <source>%n entries…</source>
            <translation>
                <numerusform>%n 条记录…</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop/ui/topics/timeline_view.py" line="208" />
            <source>%n entries</source>
            <translation>
                <numerusform>%n 条记录</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop/ui/topics/timeline_view.py" line="210" />
            <source>%n weeks without it</source>
            <translation>
                <numerusform>%n 周未提及</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop/ui/topics/timeline_view.py" line="215" />
            <source>No such topic.</source>
            <translation>没有这个主题。</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/topics/timeline_view.py" line="217" />
            <source>Closest: %1</source>
            <translation>最接近的：%1</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/topics/timeline_view.py" line="222" />
            <source>The timeline could not be read: %1</source>
            <translation>无法读取时间线：%1</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/topics/timeline_view.py" line="226" />
            <source>The timeline could not be exported: %1</source>
            <translation>无法导出时间线：%1</translation>
        </message>
        <message>
            <source>Choose a topic on the right, or right-click a section in the report tree or in a report and choose “Timeline of this topic”.</source>
            <translation>在右侧选择一个主题，或在报告树或周报中右键单击某一节，然后选择“此主题的时间线”。</translation>
        </message>
        <message>
            <source>No topic recurs in this folder yet.</source>
            <translation>此文件夹中还没有反复出现的主题。</translation>
        </message>
        <message>
            <source>Topics that recur in this folder:</source>
            <translation>此文件夹中反复出现的主题：</translation>
        </message>
        <message>
            <source>%1 sections</source>
            <translation>%1 节</translation>
        </message>
    </context>
    <context>
        <name>WindowActions</name>
        <message>
            <location filename="../../desktop/ui/actions.py" line="132" />
            <source>&amp;File</source>
            <translation>文件(&amp;F)</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/actions.py" line="133" />
            <source>Open &amp;Recent</source>
            <translation>最近打开(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/actions.py" line="134" />
            <source>&amp;View</source>
            <translation>视图(&amp;V)</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/actions.py" line="135" />
            <source>&amp;Help</source>
            <translation>帮助(&amp;H)</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/actions.py" line="136" />
            <source>&amp;Language</source>
            <translation>语言(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/actions.py" line="137" />
            <source>&amp;Theme</source>
            <translation>主题(&amp;T)</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/actions.py" line="138" />
            <source>Main</source>
            <translation>主工具栏</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/actions.py" line="140" />
            <source>&amp;Open Folder…</source>
            <translation>打开文件夹(&amp;O)…</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/actions.py" line="141" />
            <source>&amp;Reindex</source>
            <translation>重新索引(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/actions.py" line="142" />
            <source>Export Chart as &amp;PNG…</source>
            <translation>将图表导出为 PNG(&amp;P)…</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/actions.py" line="143" />
            <source>Export Chart Data as &amp;CSV…</source>
            <translation>将图表数据导出为 CSV(&amp;C)…</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/actions.py" line="144" />
            <source>Export Comparison as &amp;HTML…</source>
            <translation>将对比导出为 HTML(&amp;H)…</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/actions.py" line="145" />
            <source>Export Comparison as P&amp;DF…</source>
            <translation>将对比导出为 PDF(&amp;D)…</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/actions.py" line="146" />
            <source>&amp;Quit</source>
            <translation>退出(&amp;Q)</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/actions.py" line="147" />
            <source>&amp;Search…</source>
            <translation>搜索(&amp;S)…</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/actions.py" line="148" />
            <source>&amp;Compare with Previous Week</source>
            <translation>与上周对比(&amp;C)</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/actions.py" line="149" />
            <source>&amp;Back to Reports</source>
            <translation>返回周报(&amp;B)</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/actions.py" line="150" />
            <source>Report &amp;Tree</source>
            <translation>周报目录(&amp;T)</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/actions.py" line="151" />
            <source>&amp;Metrics Chart</source>
            <translation>指标图表(&amp;M)</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/actions.py" line="152" />
            <source>&amp;Larger Text</source>
            <translation>放大文字(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/actions.py" line="153" />
            <source>S&amp;maller Text</source>
            <translation>缩小文字(&amp;M)</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/actions.py" line="154" />
            <source>&amp;Normal Text Size</source>
            <translation>默认文字大小(&amp;N)</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/actions.py" line="155" />
            <source>&amp;Keyboard Shortcuts</source>
            <translation>键盘快捷键(&amp;K)</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/actions.py" line="156" />
            <source>&amp;About Weekly Review</source>
            <translation>关于 Weekly Review(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/actions.py" line="157" />
            <location filename="../../desktop/ui/actions.py" line="158" />
            <source>Follow the &amp;System</source>
            <translation>跟随系统(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/actions.py" line="159" />
            <source>&amp;Light</source>
            <translation>浅色(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/actions.py" line="160" />
            <source>&amp;Dark</source>
            <translation>深色(&amp;D)</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/actions.py" line="167" />
            <source>Compare the selected report with the one before it (Ctrl+D)</source>
            <translation>将所选周报与前一份对比 (Ctrl+D)</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/actions.py" line="169" />
            <source>Search all reports (Ctrl+F)</source>
            <translation>搜索全部周报 (Ctrl+F)</translation>
        </message>
        <message>
            <source>&amp;Overview</source>
            <translation>总览(&amp;O)</translation>
        </message>
        <message>
            <source>&amp;Progress</source>
            <translation>进展(&amp;P)</translation>
        </message>
        <message>
            <source>Every team's week at a glance (Ctrl+Shift+O)</source>
            <translation>一览各团队本周情况（Ctrl+Shift+O）</translation>
        </message>
        <message>
            <source>Export &amp;Digest</source>
            <translation>导出摘要(&amp;D)</translation>
        </message>
        <message>
            <source>One topic across all weeks (Ctrl+Shift+T)</source>
            <translation>一个主题在各周的变化（Ctrl+Shift+T）</translation>
        </message>
        <message>
            <source>Progress of work items over time (Ctrl+Shift+P)</source>
            <translation>工作事项的进展变化（Ctrl+Shift+P）</translation>
        </message>
        <message>
            <source>T&amp;imeline</source>
            <translation>时间线(&amp;I)</translation>
        </message>
        <message>
            <source>as &amp;HTML…</source>
            <translation>HTML 格式(&amp;H)…</translation>
        </message>
        <message>
            <source>as &amp;JSON…</source>
            <translation>JSON 格式(&amp;J)…</translation>
        </message>
        <message>
            <source>as &amp;Markdown…</source>
            <translation>Markdown 格式(&amp;M)…</translation>
        </message>
    </context>
    <context>
        <name>WindowMenus</name>
        <message>
            <location filename="../../desktop/ui/window_menus.py" line="85" />
            <source>Open a folder of weekly reports</source>
            <translation>打开周报文件夹</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/window_menus.py" line="110" />
            <source>That language could not be loaded</source>
            <translation>无法加载该语言</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/window_menus.py" line="136" />
            <source>About Weekly Review</source>
            <translation>关于 Weekly Review</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/window_menus.py" line="138" />
            <source>&lt;h3&gt;Weekly Review %1&lt;/h3&gt;&lt;p&gt;Browse, chart, compare and search weekly reports.&lt;/p&gt;&lt;p&gt;Cache: %2&lt;/p&gt;&lt;p&gt;Samples: %3&lt;/p&gt;</source>
            <translation>&lt;h3&gt;Weekly Review %1&lt;/h3&gt;&lt;p&gt;浏览、绘图、对比和搜索周报。&lt;/p&gt;&lt;p&gt;缓存：%2&lt;/p&gt;&lt;p&gt;示例：%3&lt;/p&gt;</translation>
        </message>
    </context>
    <context>
        <name>FollowUpsModel</name>
        <message>
            <location filename="../../desktop/ui/review/follow_ups.py" line="59" />
            <source>Team</source>
            <translation>团队</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/review/follow_ups.py" line="59" />
            <source>Week</source>
            <translation>周</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/review/follow_ups.py" line="59" />
            <source>Section</source>
            <translation>章节</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/review/follow_ups.py" line="59" />
            <source>Text</source>
            <translation>内容</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/review/follow_ups.py" line="59" />
            <source>Age</source>
            <translation>已过</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop/ui/review/follow_ups.py" line="79" />
            <source>%n day(s)</source>
            <translation>
                <numerusform>%n 天</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>FollowUpsPanel</name>
        <message>
            <location filename="../../desktop/ui/review/follow_ups.py" line="103" />
            <source>Close follow-up</source>
            <translation>关闭跟进</translation>
        </message>
    </context>
    <context>
        <name>NoteEditor</name>
        <message>
            <location filename="../../desktop/ui/review/note_editor.py" line="22" />
            <source>Note</source>
            <translation>批注</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/review/note_editor.py" line="29" />
            <source>Write a note…</source>
            <translation>写批注…</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/review/note_editor.py" line="31" />
            <source>Follow-up: a question or action for the team</source>
            <translation>跟进：需要团队回答的问题或要做的事</translation>
        </message>
    </context>
    <context>
        <name>ReviewPresenter</name>
        <message>
            <location filename="../../desktop/ui/review/presenter.py" line="278" />
            <source>Asked on %1: %2</source>
            <translation>%1 提出：%2</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/review/presenter.py" line="297" />
            <source>Add note</source>
            <translation>添加批注</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/review/presenter.py" line="301" />
            <source>Edit note</source>
            <translation>编辑批注</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/review/presenter.py" line="305" />
            <source>Delete note</source>
            <translation>删除批注</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/review/presenter.py" line="308" />
            <source>Close follow-up</source>
            <translation>关闭跟进</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/review/presenter.py" line="308" />
            <source>Reopen follow-up</source>
            <translation>重新打开跟进</translation>
        </message>
        <message>
            <location filename="../../desktop/ui/review/presenter.py" line="330" />
            <source>The report is not in the folder any more.</source>
            <translation>该周报已不在文件夹中。</translation>
        </message>
    </context>
    <context>
        <name>FeaturePages</name>
        <message>
            <source>Export Digest</source>
            <translation>导出摘要</translation>
        </message>
        <message>
            <source>Export Timeline</source>
            <translation>导出时间线</translation>
        </message>
        <message>
            <source>No dated reports in this folder.</source>
            <translation>此文件夹中没有带日期的周报。</translation>
        </message>
        <message>
            <source>There is no overview to export yet.</source>
            <translation>还没有可导出的总览。</translation>
        </message>
    </context>
    <context>
        <name>WindowReview</name>
        <message>
            <source>&amp;Edit</source>
            <translation>编辑(&amp;E)</translation>
        </message>
        <message>
            <source>&amp;Undo</source>
            <translation>撤销(&amp;U)</translation>
        </message>
        <message>
            <source>&amp;Redo</source>
            <translation>重做(&amp;R)</translation>
        </message>
        <message>
            <source>Mark as Read or &amp;Unread</source>
            <translation>标为已读或未读(&amp;U)</translation>
        </message>
        <message>
            <source>Add &amp;Note…</source>
            <translation>添加批注(&amp;N)…</translation>
        </message>
        <message>
            <source>Add Note to the &amp;Whole Report…</source>
            <translation>为整份周报添加批注(&amp;W)…</translation>
        </message>
        <message>
            <source>Show &amp;Changes Since Read…</source>
            <translation>查看阅读后的改动(&amp;C)…</translation>
        </message>
        <message>
            <source>Mark Reports Read &amp;Automatically</source>
            <translation>自动标为已读(&amp;A)</translation>
        </message>
        <message>
            <source>Include Notes in E&amp;xports</source>
            <translation>导出时包含批注(&amp;X)</translation>
        </message>
        <message>
            <source>A report counts as read once it has been open for a few seconds</source>
            <translation>周报打开几秒后即算作已读</translation>
        </message>
        <message>
            <source>Add a note to the section shown, or to the report (Ctrl+N)</source>
            <translation>为当前章节或整份周报添加批注（Ctrl+N）</translation>
        </message>
        <message>
            <source>&amp;Follow-ups</source>
            <translation>待跟进(&amp;F)</translation>
        </message>
        <message>
            <source>Follow-ups</source>
            <translation>待跟进</translation>
        </message>
        <message>
            <source>Close follow-up</source>
            <translation>关闭跟进</translation>
        </message>
        <message>
            <source>edit</source>
            <translation>编辑</translation>
        </message>
        <message>
            <source>delete</source>
            <translation>删除</translation>
        </message>
        <message>
            <source>close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <source>follow-up</source>
            <translation>待跟进</translation>
        </message>
        <message>
            <source>closed</source>
            <translation>已关闭</translation>
        </message>
        <message>
            <source>section not found; it quoted: %1</source>
            <translation>找不到原章节；原引用：%1</translation>
        </message>
        <message>
            <source>on %1</source>
            <translation>针对 %1</translation>
        </message>
        <message>
            <source>Changed since you read it on %1.</source>
            <translation>自 %1 阅读后已有改动。</translation>
        </message>
        <message>
            <source>Show what changed</source>
            <translation>查看改动</translation>
        </message>
        <message>
            <source>Note deleted; Ctrl+Z brings it back</source>
            <translation>批注已删除；按 Ctrl+Z 可恢复</translation>
        </message>
        <message>
            <source>Mark as Unread</source>
            <translation>标为未读</translation>
        </message>
        <message>
            <source>Mark as Read</source>
            <translation>标为已读</translation>
        </message>
        <message>
            <source>Add Note to This Section…</source>
            <translation>为此章节添加批注…</translation>
        </message>
        <message>
            <source>Add Note to the Report…</source>
            <translation>为整份周报添加批注…</translation>
        </message>
        <message>
            <source>Show Changes Since Read…</source>
            <translation>查看阅读后的改动…</translation>
        </message>
        <message>
            <source>The text as you read it was not kept (read before this version).</source>
            <translation>未保存阅读时的文本（在此版本之前阅读）。</translation>
        </message>
        <message>
            <source>Changes since you read %1</source>
            <translation>%1 阅读后的改动</translation>
        </message>
    </context>
    <context>
        <name>FollowUpRowsModel</name>
        <message>
            <source>Team</source>
            <translation>团队</translation>
        </message>
        <message>
            <source>Week</source>
            <translation>周</translation>
        </message>
        <message>
            <source>Section</source>
            <translation>章节</translation>
        </message>
        <message>
            <source>Follow-up</source>
            <translation>跟进事项</translation>
        </message>
        <message>
            <source>Age</source>
            <translation>已过</translation>
        </message>
        <message>
            <source>%1 d</source>
            <translation>%1 天</translation>
        </message>
    </context>
<context>
    <name>SectionViewer</name>
    <message>
        <source>Show the rest ({lines} more lines)</source>
        <translation>显示其余部分（还有 {lines} 行）</translation>
    </message>
</context>
</TS>
